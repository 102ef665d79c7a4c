import { describe, expect, it } from 'vitest';
import { licenseAllowed, licenseViolations, readAudit, unpinned } from '../../.ci/dependency-policy.js';

describe('dependency policy', () => {
  it('accepts exact versions only', () => {
    expect(unpinned({ dependencies: { a: '1.2.3', b: '8.1.0-2.59be4fda' }, devDependencies: { c: '0.0.1' } })).toEqual(
      [],
    );
    expect(unpinned({ dependencies: { a: '^1.2.3', b: '~2.0.0', c: 'latest', d: '1.x', e: '>=1' } })).toEqual([
      'a@^1.2.3',
      'b@~2.0.0',
      'c@latest',
      'd@1.x',
      'e@>=1',
    ]);
  });

  it('reads SPDX expressions', () => {
    expect(licenseAllowed('MIT')).toBe(true);
    expect(licenseAllowed('(MIT OR GPL-3.0)')).toBe(true);
    expect(licenseAllowed('MIT AND ISC')).toBe(true);
    expect(licenseAllowed('MIT AND GPL-3.0')).toBe(false);
    expect(licenseAllowed('GPL-3.0')).toBe(false);
    expect(licenseAllowed('(none)')).toBe(false);
  });

  it('lists packages whose licence is not allowed, except named ones', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/ok': { version: '1.0.0', license: 'MIT' },
        'node_modules/bad': { version: '2.0.0', license: 'AGPL-3.0' },
        'node_modules/x/node_modules/nolicense': { version: '3.0.0' },
        'node_modules/lightningcss-linux-x64-gnu': { version: '1.0.0', license: 'MPL-2.0' },
        'node_modules/linked': { link: true },
      },
    };
    expect(licenseViolations(lock)).toEqual(['bad@2.0.0: AGPL-3.0', 'nolicense@3.0.0: (none)']);
  });

  it('skips the advisory check with a reason when the service cannot be reached, and fails on high findings', () => {
    expect(readAudit('{"error":{"summary":""}}', 'npm error audit endpoint returned an error').kind).toBe('skipped');
    expect(readAudit('', 'getaddrinfo ENOTFOUND').kind).toBe('skipped');
    const clean = '{"metadata":{"vulnerabilities":{"low":2,"moderate":0,"high":0,"critical":0}}}';
    expect(readAudit(clean, '')).toEqual({ kind: 'passed', counts: { low: 2, moderate: 0, high: 0, critical: 0 } });
    const bad = '{"metadata":{"vulnerabilities":{"low":0,"moderate":0,"high":1,"critical":0}}}';
    expect(readAudit(bad, '').kind).toBe('failed');
  });
});
