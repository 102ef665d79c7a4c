import { type ChildProcess, execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { lockPathOf } from '../../src/infra/db/embedded-lock.js';
import { spawnApp } from '../support/app-process.js';
import { INTAKE_KEY, teamsYaml } from '../support/leadpool.js';

// Two processes on one embedded database: the app running, and the `leads` command started beside it.
const dir = mkdtempSync(join(tmpdir(), 'leadpool-embedded-lock-'));
const dataDir = join(dir, 'data');
const teamsPath = join(dir, 'teams.yaml');
const csvPath = join(dir, 'leads.csv');
writeFileSync(teamsPath, teamsYaml());
writeFileSync(csvPath, 'Full name,Company,Mail\nLena Vogel,Vogel GmbH,lena@vogel.example\n');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, TEAMS_CONFIG: teamsPath, LOG_LEVEL: 'warn' };

function runImport(): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['--import', 'tsx', 'src/cli/leads.ts', 'import', '--file', csvPath, '--team', 'alpha', '--no-post'];
  for (const map of ['name=Full name', 'company=Company', 'email=Mail']) args.push('--map', map);
  return promisify(execFile)(process.execPath, args, { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
}

async function startApp() {
  const app = await spawnApp({ databaseUrl: '', teamsYaml: teamsYaml(), env: { DATA_DIR: dataDir } });
  children.push(app.child);
  return app;
}

async function postLena(url: string): Promise<string> {
  const res = await fetch(`${url}/api/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ team: 'alpha', name: 'Lena Vogel', company: 'Vogel GmbH', email: 'lena@vogel.example' }),
  });
  return ((await res.json()) as { outcome: string }).outcome;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('the embedded database has one process at a time', () => {
  it('refuses an import while the app runs, naming the app, and writes nothing', async () => {
    const app = await startApp();
    const refused = await runImport();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by process ${app.child.pid}`);
    expect(refused.stderr).toContain('DATABASE_URL');
    expect(refused.stdout).not.toContain('new');
    // The app never saw Lena: she arrives as a new lead.
    expect(await postLena(app.url)).toBe('created');
    app.child.kill('SIGTERM');
    await exited(app.child);
    expect(existsSync(lockPathOf(join(dataDir, 'pglite')))).toBe(false);
  }, 120_000);

  it('takes over the lock of an app killed with SIGKILL, and what the import wrote is there at the next start', async () => {
    const app = await startApp();
    app.child.kill('SIGKILL');
    await exited(app.child);
    expect(existsSync(lockPathOf(join(dataDir, 'pglite')))).toBe(true);
    writeFileSync(csvPath, 'Full name,Company,Mail\nJonas Berg,Berg AG,jonas@berg.example\n');
    const done = await runImport();
    expect(done.stderr).not.toContain('in use by process');
    expect(done.stdout).toContain('1 new');
    const again = await startApp();
    const res = await fetch(`${again.url}/api/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ team: 'alpha', name: 'Jonas Berg', company: 'Berg AG', email: 'jonas@berg.example' }),
    });
    expect(((await res.json()) as { outcome: string }).outcome).not.toBe('created');
    again.child.kill('SIGTERM');
    await exited(again.child);
  }, 120_000);
});
