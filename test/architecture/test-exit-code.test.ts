import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/**
 * The test command must exit non-zero when a test fails, or CI would pass a red run. The embedded
 * PostgreSQL package ends the process with code 0 when it goes idle (test/support/postgres-server.ts
 * keeps the real code): run one failing and one passing test through the real global setup, with
 * the embedded server, and look at the exit codes.
 */
describe('the test command', () => {
  function run(body: string): number | null {
    const dir = mkdtempSync(join(tmpdir(), 'leadpool-exit-'));
    writeFileSync(
      join(dir, 'probe.test.ts'),
      `import { expect, it } from 'vitest';\nit('probe', () => { ${body} });\n`,
    );
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['${dir}/probe.test.ts'], globalSetup: ['${ROOT}/test/support/global-setup.ts'] } };\n`,
    );
    const { TEST_DATABASE_URL: _url, ...env } = process.env;
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.mjs'), '--root', ROOT],
      {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    return result.status;
  }

  it('exits 1 when a test fails and 0 when all pass, with the embedded PostgreSQL', () => {
    expect(run('expect(1).toBe(2);')).toBe(1);
    expect(run('expect(1).toBe(1);')).toBe(0);
  }, 240_000);
});

/**
 * A passing suite's output is the runner's own: what the app logs is shown for a failing test
 * only (test/support/log-capture.setup.ts), and a skipped test says why.
 */
describe('the test output', () => {
  function probe(tests: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'leadpool-output-'));
    writeFileSync(
      join(dir, 'probe.test.ts'),
      `import { expect, it } from 'vitest';\nimport { captureLogLine } from '${ROOT}/test/support/captured-log.ts';\n${tests}\n`,
    );
    writeFileSync(
      join(dir, 'vitest.config.mjs'),
      `export default { test: { include: ['${dir}/probe.test.ts'], setupFiles: ['${ROOT}/test/support/log-capture.setup.ts'] } };\n`,
    );
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', join(dir, 'vitest.config.mjs'), '--root', ROOT],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return `${result.stdout}${result.stderr}`;
  }

  it('keeps the app’s log lines out of a passing test’s output and shows them for a failing one', () => {
    const output = probe(
      [
        `it('passes', () => { captureLogLine('app', '{"level":"warn","msg":"quiet-line"}'); expect(1).toBe(1); });`,
        `it('fails', () => { captureLogLine('app', '{"level":"error","msg":"loud-line"}'); expect(1).toBe(2); });`,
        `it('is skipped', (ctx) => { ctx.skip('did not run: the probe has no data'); });`,
      ].join('\n'),
    );
    expect(output).not.toContain('quiet-line');
    expect(output).toContain('loud-line');
    expect(output).toContain('did not run: the probe has no data');
  }, 120_000);
});
