/**
 * `SIGKILL` in the middle of a 1,000-lead burst, then a restart: every accepted lead is in the
 * channel exactly once, on a card of its own or as a line of a summary card. The fake Slack keeps
 * every post it took (answered or not) in the channel's history, as Slack would; a post taken just
 * before the kill is found there by its key. Runs with a card per lead on PostgreSQL and on the
 * embedded database, and with summary cards on PostgreSQL, each app a real process.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { INTAKE_KEY, teamsYaml } from '../support/leadpool.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const LEADS = 1_000;
const BATCH = 500;
let db: TestDatabase;
let slack: FakeSlack;
const children: ChildProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  slack = new FakeSlack();
  await slack.start();
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await slack?.stop();
  await db?.drop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type PostPayload = { lead?: number; leads?: string };

/** How many times each lead was shown: on its own card (`lead`) or on a summary page (`leads`). */
const cardsByLead = (channel: string) => {
  const counts = new Map<number, number>();
  for (const m of slack.history.get(channel) ?? []) {
    const payload = (m.metadata as { event_payload?: PostPayload } | undefined)?.event_payload;
    const leads = payload?.leads ? payload.leads.split(',').map(Number) : payload?.lead ? [payload.lead] : [];
    for (const lead of leads) counts.set(lead, (counts.get(lead) ?? 0) + 1);
  }
  return counts;
};

const summaryPosts = (channel: string) =>
  (slack.history.get(channel) ?? []).filter(
    (m) => (m.metadata as { event_type?: string } | undefined)?.event_type === 'leadpool_burst',
  ).length;

async function sendBurst(url: string, tag: string): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < LEADS; start += BATCH) {
    const leads = Array.from({ length: BATCH }, (_, i) => ({
      team: 'alpha',
      name: `${tag} Person ${start + i}`,
      company: `${tag} Company ${start + i}`,
    }));
    const res = await fetch(`${url}/api/leads/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leads }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: number; outcome: string }[] };
    expect(body.results.every((r) => r.outcome === 'created')).toBe(true);
    ids.push(...body.results.map((r) => r.id));
  }
  return ids;
}

describe.each([
  ['PostgreSQL, a card per lead', 'pg', 'off'],
  ['the embedded database, a card per lead', 'embedded', 'off'],
  ['PostgreSQL, summary cards', 'pg', '{ after: 5, within: 2s }'],
] as const)('SIGKILL during a 1,000-lead burst on %s', (_name, kind, cardBurst) => {
  const summaries = cardBurst !== 'off';
  it('posts every accepted lead exactly once after a restart', async () => {
    const channel = kind === 'embedded' ? 'C0EMBED' : summaries ? 'C0BURST' : 'C0ALPHA';
    const dataDir = mkdtempSync(join(tmpdir(), 'leadpool-crash-'));
    dirs.push(dataDir);
    const database = kind === 'pg' ? { databaseUrl: db.url } : { databaseUrl: '' };
    const start = () =>
      spawnApp({
        ...database,
        teamsYaml: teamsYaml({ cardBurst }).replace('C0ALPHA', channel),
        env: {
          ...(kind === 'embedded' ? { DATA_DIR: dataDir } : {}),
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          // Exactly-once is what is tested here; the pacing of posts has its own test.
          SLACK_POST_GAP_MS: '0',
          OUTBOX_POLL_MS: '200',
          OUTBOX_LEASE_MS: '3000',
        },
      }).then((app) => {
        children.push(app.child);
        return app;
      });
    // A summary page is one post for up to 40 leads: slower posts keep the kill inside the summary.
    slack.postDelayMs = summaries ? 150 : 15;
    const first = await start();
    const ids = await sendBurst(first.url, `${kind}${cardBurst.length}`);
    expect(new Set(ids).size).toBe(LEADS);
    // Kill it with posts in flight, a good part of the burst still to go.
    const killAt = summaries ? 10 : 250;
    await until(() => (slack.answeredPosts.get(channel)?.length ?? 0) >= killAt, 'a part of the cards', 60_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    const atKill = cardsByLead(channel);
    expect(atKill.size).toBeLessThan(LEADS);

    slack.postDelayMs = 0;
    const second = await start();
    await until(() => cardsByLead(channel).size === LEADS, 'every card', 120_000);
    // Let the last leases run out and be retried: nothing more may be posted.
    await new Promise((r) => setTimeout(r, 4_000));
    const counts = cardsByLead(channel);
    const twice = [...counts].filter(([, n]) => n > 1);
    expect(twice).toEqual([]);
    // With summaries the burst is a few dozen posts: 5 cards a window, then 40 leads a page.
    if (summaries) expect(summaryPosts(channel)).toBeGreaterThanOrEqual(Math.ceil((LEADS - 5 * 10) / 40));
    if (summaries) expect((slack.history.get(channel) ?? []).length).toBeLessThan(LEADS / 10);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    if (kind === 'pg') {
      const sql = new pg.Pool({ connectionString: db.url, max: 1 });
      const { rows } = await sql.query(
        "SELECT count(*)::int AS n FROM lead_post p JOIN lead l ON l.id = p.lead_id WHERE messenger = 'slack' AND l.name LIKE $1",
        [`${kind}${cardBurst.length} %`],
      );
      await sql.end();
      expect(rows[0].n).toBe(LEADS);
    }
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 240_000);
});
