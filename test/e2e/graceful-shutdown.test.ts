/**
 * SIGTERM in the middle of a burst, with two Leadpool processes on one PostgreSQL: the one told to
 * stop refuses new work, answers the requests it has, lets its deliveries in flight finish within
 * its grace, gives back the one Slack never answered, and exits 0; the other takes that one over at
 * once (not after the lease runs out), finds it already in the channel, and posts nothing twice.
 * Every lead an intake request was told was stored is there, with one card.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { channelTeamsYaml, INTAKE_KEY } from '../support/leadpool.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const CHANNELS = ['C0ALPHA', 'C0BETA', 'C0GAMMA', 'C0DELTA'];
const PER_TEAM = 40;
const teams = channelTeamsYaml(CHANNELS.map((channel, i) => [`t${i}`, channel] as const));

let db: TestDatabase;
let slack: FakeSlack;
let sql: pg.Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  slack = new FakeSlack();
  slack.postDelayMs = 60;
  await slack.start();
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sql?.end();
  await slack?.stop();
  await db?.drop();
});

const start = (logLines: string[]) =>
  spawnApp({
    databaseUrl: db.url,
    teamsYaml: teams,
    logLines,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_POST_GAP_MS: '0',
      SLACK_TIMEOUT_MS: '60000',
      OUTBOX_POLL_MS: '200',
      OUTBOX_LEASE_MS: '60000',
      SHUTDOWN_GRACE_MS: '2000',
      LOG_LEVEL: 'info',
    },
  }).then((app) => {
    children.push(app.child);
    return app;
  });

const intake = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
/** Each lead's cards in its channel, as Slack holds them (whatever it answered). */
const cardCounts = () => {
  const counts = new Map<number, number>();
  for (const channel of CHANNELS)
    for (const m of slack.history.get(channel) ?? []) {
      const lead = (m.metadata as { event_payload?: { lead?: number } } | undefined)?.event_payload?.lead;
      if (lead) counts.set(lead, (counts.get(lead) ?? 0) + 1);
    }
  return counts;
};

describe('SIGTERM during a burst', () => {
  it('finishes what is in flight, gives back what hangs, exits 0; the other instance takes over at once', async () => {
    const stoppingLog: string[] = [];
    const stopping = await start(stoppingLog);
    const other = await start([]);
    const leads = CHANNELS.flatMap((_, t) =>
      Array.from({ length: PER_TEAM }, (_, i) => ({ team: `t${t}`, name: `Burst ${t}-${i}` })),
    );
    expect((await intake(stopping.url, '/api/leads/batch', { leads })).status).toBe(200);
    await until(() => cardCounts().size >= 30, 'the burst to be under way', 30_000);

    // Delta's next posts are taken by Slack but never answered: whoever sends one waits on it.
    slack.hungChannels.add('C0DELTA');
    await until(
      () => slack.of('chat.postMessage').filter((c) => c.body.channel === 'C0DELTA').length > cardCountsIn('C0DELTA'),
      'a post to hang',
      10_000,
    );

    // Single leads keep arriving at the instance told to stop, before and after the signal.
    const answers: { status: number | 'refused'; id?: number }[] = [];
    let sending = true;
    const sender = (async () => {
      for (let i = 0; sending; i++) {
        const answer = await intake(stopping.url, '/api/leads', { team: 't0', name: `During Stop ${i}` }).then(
          async (r) => ({
            status: r.status,
            id: r.status === 201 ? ((await r.json()) as { id: number }).id : undefined,
          }),
          () => ({ status: 'refused' as const }),
        );
        answers.push(answer);
        if (answer.status === 'refused') return;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await until(() => answers.length >= 5, 'leads sent during the burst');
    const signalled = performance.now();
    const exited = new Promise<number | null>((resolve) => stopping.child.once('exit', (code) => resolve(code)));
    stopping.child.kill('SIGTERM');
    const code = await exited;
    const exitedAt = performance.now();
    sending = false;
    await sender;

    expect(code).toBe(0);
    // The grace (2 s) for the hung post, and no more than a few seconds in all.
    expect(exitedAt - signalled).toBeLessThan(8_000);
    expect(stoppingLog.some((l) => l.includes('"msg":"stopped"') && /"outboxGivenBack":[1-9]/.test(l))).toBe(true);
    expect(answers.every((a) => a.status === 201 || a.status === 503 || a.status === 'refused')).toBe(true);

    // Slack answers again: the given-back post is found in the channel, not posted again.
    slack.releaseHung();
    const stored = answers.filter((a) => a.status === 201).map((a) => a.id as number);
    const expected = leads.length + stored.length;
    const tookOver = await until(
      async () => {
        const { rows } = await sql.query<{ unsent: number }>(
          `SELECT count(*)::int AS unsent FROM outbox_message WHERE sink = 'slack' AND sent_at IS NULL`,
        );
        return rows[0]?.unsent === 0;
      },
      'every card delivered',
      30_000,
    );
    const counts = cardCounts();
    console.log(
      `SIGTERM: exited 0 after ${(exitedAt - signalled).toFixed(0)} ms; ${stored.length} leads stored by requests around the signal; ${counts.size} of ${expected} leads in their channels, ${[...counts.values()].filter((n) => n > 1).length} twice; the rest delivered ${tookOver.toFixed(0)} ms after the exit (the lease is 60 s)`,
    );
    expect(tookOver).toBeLessThan(20_000);
    const count = async (query: string) => (await sql.query<{ n: number }>(query)).rows[0]?.n;
    expect(await count('SELECT count(*)::int AS n FROM lead')).toBe(expected);
    expect(counts.size).toBe(expected);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await count('SELECT count(*)::int AS n FROM outbox_message WHERE dead_at IS NOT NULL')).toBe(0);
    expect(other.child.exitCode).toBeNull();
  }, 120_000);
});

function cardCountsIn(channel: string): number {
  return (slack.answeredPosts.get(channel) ?? []).length;
}
