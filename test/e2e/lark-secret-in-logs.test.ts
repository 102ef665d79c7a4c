import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { INTAKE_KEY, teamsYaml } from '../support/leadpool.js';
import { freePort } from '../support/postgres-server.js';

// A secret no other line could contain by chance, so finding any part of it is a leak.
const APP_SECRET = 'Zq8sEcReT-v4lue-9Xk2Lm7Pw3';
const APP_ID = 'cli_a1b2c3d4e5f60718';

let db: TestDatabase;
let refusing: Server;
const children: ChildProcess[] = [];

/** Lark answering the tenant-token request as it does for a wrong secret: HTTP 400, code 10014. */
function refusingLark(): Promise<string> {
  refusing = createServer((req, res) => {
    req.resume();
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 10014, msg: 'app secret invalid' }));
  });
  return new Promise((resolve) =>
    refusing.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(refusing.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  refusing?.close();
  await db?.drop();
});

let lastHealth: Record<string, unknown> = {};

async function outputOfFailingStart(domain: string): Promise<string> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const app = await spawnApp({
    databaseUrl: db.url,
    teamsYaml: teamsYaml({ lark: true }),
    logLines: stdout,
    stderrLines: stderr,
    env: {
      LOG_LEVEL: 'info',
      LARK_APP_ID: APP_ID,
      LARK_APP_SECRET: APP_SECRET,
      LARK_TRANSPORT: 'http',
      LARK_VERIFICATION_TOKEN: 'lark-verification-token',
      LARK_DOMAIN: domain,
    },
  });
  children.push(app.child);
  // A new lead's card goes to the Lark chat, which needs a tenant token.
  await fetch(`${app.url}/api/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ team: 'alpha', name: 'Ada Lovelace', company: 'Engines', email: 'ada@engines.example' }),
  });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !stdout.some((l) => /Lark|lark/.test(l) && /"level":"(warn|error)"/.test(l)))
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 1_500));
  lastHealth = (await (await fetch(`${app.url}/healthz`)).json()) as Record<string, unknown>;
  app.child.kill('SIGTERM');
  await new Promise((r) => app.child.once('exit', r));
  return [...stdout, ...stderr].join('\n');
}

describe('the Lark app secret never reaches the output', () => {
  it('when Lark refuses the secret (HTTP 400, app secret invalid)', async () => {
    const output = await outputOfFailingStart(await refusingLark());
    expect(output).toMatch(/Lark/);
    expect(output).not.toContain(APP_SECRET);
    expect(output).not.toContain(APP_SECRET.slice(0, 10));
    // Every line is ours: one JSON object, so the SDK's multi-line dumps went through our logger.
    for (const line of output.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
    // /healthz tells what is wrong with each messenger, and nothing secret.
    expect(lastHealth.messengers).toMatchObject({
      slack: { state: 'off' },
      lark: { state: 'on', transport: 'http', connection: 'n/a', lastError: { message: expect.any(String) } },
    });
    expect(JSON.stringify(lastHealth)).not.toContain(APP_SECRET);
  }, 60_000);

  it('when Lark cannot be reached at all', async () => {
    const output = await outputOfFailingStart(`http://127.0.0.1:${await freePort()}`);
    expect(output).toMatch(/Lark/);
    expect(output).not.toContain(APP_SECRET);
    for (const line of output.split('\n').filter(Boolean)) expect(() => JSON.parse(line), line).not.toThrow();
  }, 60_000);
});
