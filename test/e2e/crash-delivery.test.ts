import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeLark } from '../support/fake-lark.js';
import { FakeSlack } from '../support/fake-slack.js';
import { LARK_APP, LARK_CHAT, postLeadTo, teamsYaml } from '../support/leadpool.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';
import { until } from '../support/until.js';

let db: TestDatabase;
let fake: FakeLark;
let slack: FakeSlack;
let sql: pg.Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeLark();
  slack = new FakeSlack();
  await Promise.all([fake.start(), slack.start()]);
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sql?.end();
  await fake?.stop();
  await slack?.stop();
  await db?.drop();
});

const start = async (withSlack = false) => {
  const app = await spawnApp({
    databaseUrl: db.url,
    teamsYaml: teamsYaml({ lark: true }),
    env: {
      ...(withSlack
        ? { SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: slack.apiUrl }
        : {}),
      LARK_APP_ID: LARK_APP.id,
      LARK_APP_SECRET: LARK_APP.secret,
      LARK_TRANSPORT: 'http',
      LARK_VERIFICATION_TOKEN: LARK_APP.token,
      LARK_DOMAIN: fake.url,
      OUTBOX_POLL_MS: '200',
      OUTBOX_LEASE_MS: '1500',
    },
  });
  children.push(app.child);
  return app;
};

describe('a crash while a card is being sent', () => {
  it('SIGKILL after Lark took the card but before it was recorded: after a restart the card is not posted twice', async () => {
    const first = await start();
    fake.answerDelayMs = 3000;
    const { id } = (await (await postLeadTo(first.url, { team: 'alpha', name: 'Crash Test' })).json()) as {
      id: number;
    };
    const creates = () =>
      fake.calls.filter((c) => c.path === '/open-apis/im/v1/messages' && c.body.receive_id === LARK_CHAT);
    await until(() => creates().length === 1, 'the card to reach Lark');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const recorded = () => isRecorded(id, 'lark');
    expect(await recorded()).toBe(false);

    fake.answerDelayMs = 0;
    const second = await start();
    await until(recorded, 'the restarted app to record the card');
    const cards = fake.messages.filter((m) => m.receiveId === LARK_CHAT && JSON.stringify(m.card).includes(`L-${id}`));
    expect(creates()).toHaveLength(2);
    expect(new Set(creates().map((c) => c.body.uuid)).size).toBe(1);
    expect(cards).toHaveLength(1);
    const post = (await sql.query('SELECT message_id FROM lead_post WHERE lead_id = $1', [id])).rows[0];
    expect(post.message_id).toBe(cards[0]?.messageId);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 90_000);

  it('SIGKILL after Slack took the card but before it was recorded: the retry finds it and edits it, no second post', async () => {
    const first = await start(true);
    slack.postDelayMs = 3000;
    const { id } = (await (await postLeadTo(first.url, { team: 'alpha', name: 'Slack Crash' })).json()) as {
      id: number;
    };
    const posts = () =>
      slack.to('chat.postMessage', 'C0ALPHA').filter((c) => JSON.stringify(c.body.blocks ?? '').includes(`L-${id}`));
    await until(() => posts().length === 1, 'the card to reach Slack');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(await isRecorded(id, 'slack')).toBe(false);

    slack.postDelayMs = 0;
    const second = await start(true);
    await until(() => isRecorded(id, 'slack'), 'the restarted app to record the card');
    expect(posts()).toHaveLength(1);
    expect(slack.of('conversations.history').length).toBeGreaterThanOrEqual(1);
    const ts = (await sql.query("SELECT message_id FROM lead_post WHERE lead_id = $1 AND messenger = 'slack'", [id]))
      .rows[0].message_id;
    expect(ts).toBe(slack.history.get('C0ALPHA')?.find((m) => JSON.stringify(m.metadata).includes(`"lead":${id}`))?.ts);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 90_000);
});

async function isRecorded(leadId: number, messenger: string): Promise<boolean> {
  const { rows } = await sql.query('SELECT count(*)::int AS n FROM lead_post WHERE lead_id = $1 AND messenger = $2', [
    leadId,
    messenger,
  ]);
  return rows[0].n === 1;
}
