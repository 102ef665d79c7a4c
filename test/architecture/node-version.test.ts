import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** The oldest Node the project promises to run on. */
const OLDEST = '20.19.0';

type Version = [number, number, number];
const parse = (text: string): Version => {
  const [a = 0, b = 0, c = 0] = text
    .replace(/^v/, '')
    .split('.')
    .map((p) => (/^\d+$/.test(p) ? Number(p) : 0));
  return [a, b, c];
};
const compare = (x: Version, y: Version) => x[0] - y[0] || x[1] - y[1] || x[2] - y[2];

/** Whether `version` satisfies an engines range as packages write them (>=, ^, ~, <, ||, x). */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((alternative) =>
    alternative
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((comparator) => {
        const [, op = '', rest = ''] = /^(>=|<=|>|<|\^|~|=)?(.*)$/.exec(comparator) ?? [];
        const target = parse(rest);
        const c = compare(v, target);
        if (op === '>=') return c >= 0;
        if (op === '>') return c > 0;
        if (op === '<=') return c <= 0;
        if (op === '<') return c < 0;
        if (op === '^') return c >= 0 && v[0] === target[0];
        if (op === '~') return c >= 0 && v[0] === target[0] && v[1] === target[1];
        return rest.includes('x') || rest.split('.').length < 3 ? v[0] === target[0] : c === 0;
      }),
  );
}

describe('the Node version promise', () => {
  it('reads engine ranges as npm does', () => {
    expect(satisfies('20.19.0', '>=20.19')).toBe(true);
    expect(satisfies('20.19.0', '>=22')).toBe(false);
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies('20.19.0', '>=20.18.1')).toBe(true);
    expect(satisfies('20.19.0', '^18')).toBe(false);
    expect(satisfies('20.19.0', '>= 10.x')).toBe(true);
  });

  it('is the same in package.json, .nvmrc and the README, and this machine keeps it', () => {
    expect(JSON.parse(read('package.json')).engines.node).toBe('>=20.19');
    expect(read('.nvmrc').trim()).toBe('20');
    expect(read('README.md')).toContain('Node ≥ 20.19');
    expect(satisfies(process.versions.node, '>=20.19')).toBe(true);
  });

  it('holds for every installed package: none asks for a newer Node', () => {
    const lock = JSON.parse(read('package-lock.json')) as {
      packages: Record<string, { version?: string; engines?: { node?: string } }>;
    };
    const refusing = Object.entries(lock.packages)
      .filter(([, entry]) => entry.engines?.node && !satisfies(OLDEST, entry.engines.node))
      .map(([path, entry]) => `${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${entry.engines?.node}`);
    expect(refusing).toEqual([]);
  });
});
