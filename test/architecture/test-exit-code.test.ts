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
