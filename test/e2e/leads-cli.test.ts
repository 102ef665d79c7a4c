import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

// The `leads` command as a person runs it from the repository, on files of a fresh clone.
let db: TestDatabase;
const dir = mkdtempSync(join(tmpdir(), 'leadpool-cli-'));

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

function leads(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/leads.ts', ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

const MAPPING = 'src/config/import/x-education.mapping.yaml';
const RULES = 'src/config/import/x-education.rules.yaml';

describe('npm run leads', () => {
  it('writes the rows it could not import beside the input, not in the folder it runs from', async () => {
    const file = join(dir, 'contacts.csv');
    writeFileSync(file, 'Full name,Mobile\nLena Vogel,13800138000\n,13900139000\n');
    const run = await leads(
      'import',
      '--file',
      file,
      '--team',
      'inbound',
      '--map',
      'name=Full name',
      '--map',
      'phone=Mobile',
      '--no-post',
    );
    expect(run.stdout).toContain('1 new');
    expect(run.stdout).toContain(
      `Rows not imported, values kept as typed, and why: ${join(dir, 'contacts.errors.csv')}`,
    );
    expect(existsSync(join(dir, 'contacts.errors.csv'))).toBe(true);
    expect(existsSync('contacts.errors.csv')).toBe(false);
  }, 60_000);

  it('runs the README’s calibrate example on the example file shipped in the repository', async () => {
    const run = await leads(
      'calibrate',
      '--file',
      'src/config/import/example-leads.csv',
      '--mapping',
      MAPPING,
      '--rules',
      RULES,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Rows 600, used 600/m);
    expect(run.stdout).toMatch(/AUC on the hold-out: 0\.\d{3}/);
  }, 60_000);

  it('answers a missing file with one clear line', async () => {
    for (const args of [
      ['calibrate', '--file', 'nowhere.csv', '--mapping', MAPPING, '--rules', RULES],
      ['calibrate', '--file', 'src/config/import/example-leads.csv', '--mapping', 'nowhere.yaml', '--rules', RULES],
      ['import', '--file', 'nowhere.csv', '--mapping', MAPPING],
    ]) {
      const run = await leads(...args);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(/^--(file|mapping): no such file: nowhere\.(csv|yaml)/);
      expect(run.stderr).not.toContain('ENOENT');
    }
  }, 60_000);
});
