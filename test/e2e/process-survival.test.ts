import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { teamsYaml } from '../support/leadpool.js';
import { SIGNING_SECRET, sign } from '../support/slack-requests.js';

let db: TestDatabase;
let fake: FakeSlack;
let app: { url: string; child: ChildProcess };

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  app = await spawnApp({
    databaseUrl: db.url,
    teamsYaml: teamsYaml(),
    env: { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl },
  });
}, 90_000);

afterAll(async () => {
  app?.child.kill('SIGTERM');
  await new Promise((r) => app?.child.once('exit', r));
  await fake?.stop();
  await db?.drop();
});

function signedRaw(body: string, contentType: string): RequestInit {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    method: 'POST',
    body,
    headers: {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp),
    },
  };
}

describe('the app as a process', () => {
  it('keeps serving after signed requests whose payload is null (they used to end the process)', async () => {
    const form = 'application/x-www-form-urlencoded';
    for (const [body, type] of [
      ['payload=null', form],
      ['null', 'application/json'],
      ['payload=%7B%22type%22%3A%22block_actions%22%7D', form],
      [
        'payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22U1%22%7D%2C%22actions%22%3A%5B%7B%22action_id%22%3A%22lead.claim%22%2C%22value%22%3A%2299999999999%22%7D%5D%7D',
        form,
      ],
    ] as const) {
      const res = await fetch(`${app.url}/slack/events`, signedRaw(body, type));
      expect(res.status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(app.child.exitCode).toBeNull();
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});

/** Runs a script that installs the last-resort handlers and then misbehaves; returns its output and exit code. */
function runScript(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

const PRELUDE = `
  import { installLastResortHandlers } from './src/infra/last-resort.ts';
  import { createLogger } from './src/infra/logger.ts';
  const log = createLogger('info');
  installLastResortHandlers({ log, fatal: (reason) => { log.error('fatal', { reason }); process.exit(3); } });
`;

describe('last-resort handlers', () => {
  it('log a stray exception and a stray rejection, and the process goes on', async () => {
    const { code, out } = await runScript(`${PRELUDE}
      setTimeout(() => { throw new Error('boom from a timer'); }, 10);
      setTimeout(() => { Promise.reject(new Error('nobody awaited me')); }, 20);
      setTimeout(() => { console.log('still alive'); process.exit(0); }, 200);
    `);
    expect(code).toBe(0);
    expect(out).toContain('uncaught exception: logged, still serving');
    expect(out).toContain('boom from a timer');
    expect(out).toContain('unhandled rejection: logged, still serving');
    expect(out).toContain('still alive');
  });

  it('end the process when errors keep coming (more than 20 within a minute)', async () => {
    const { code, out } = await runScript(`${PRELUDE}
      const timer = setInterval(() => { throw new Error('a loop that keeps failing'); }, 5);
      setTimeout(() => { clearInterval(timer); console.log('survived the burst'); process.exit(0); }, 2000);
    `);
    expect(code).toBe(3);
    expect(out).toContain('21 unexpected errors within 60 s');
    expect(out).not.toContain('survived the burst');
  });
});
