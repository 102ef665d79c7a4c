/**
 * Three Leadpool processes on one PostgreSQL, each sweeping deadlines every second: every due
 * reminder and every reclaim happens exactly once between them, counted in the database and on a
 * fake Slack (what it took), not by trusting any process's own account.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { teamsYaml } from '../support/leadpool.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const PER_KIND = 150;
let db: TestDatabase;
let slack: FakeSlack;
let sql: pg.Pool;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  sql = new pg.Pool({ connectionString: db.url, max: 2 });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await sql?.end();
  await slack?.stop();
  await db?.drop();
});

const logs: string[][] = [];
const start = () =>
  spawnApp({
    logLines: logs[logs.push([]) - 1],
    databaseUrl: db.url,
    teamsYaml: teamsYaml({ reps: 3, holdingCap: 1000, followUp: '4h', remindBefore: '1h' }),
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_POST_GAP_MS: '0',
      SLA_SWEEP_SCHEDULE: '* * * * * *',
      OUTBOX_POLL_MS: '200',
      LOG_LEVEL: 'info',
    },
  }).then((app) => {
    children.push(app.child);
    return app;
  });

/** PER_KIND leads inside their reminder time, PER_KIND past their deadline, PER_KIND not due; owners in turn. */
async function seedDueLeads(): Promise<void> {
  await sql.query(
    `
    INSERT INTO lead (team_id, status, stage, name, owner_id, owned_since, first_owned_at, follow_up_due_at,
                      remind_at, reminder_sent_at, reclaim_at, created_at, updated_at, fingerprint)
    SELECT 'alpha', 'owned', 'contacted', 'Due ' || g, r.id, now() - interval '5 hours', now() - interval '5 hours',
           CASE WHEN g <= $1 THEN now() + interval '30 minutes'
                WHEN g <= 2 * $1 THEN now() - interval '5 minutes'
                ELSE now() + interval '3 hours' END,
           CASE WHEN g <= $1 THEN now() - interval '30 minutes'
                WHEN g <= 2 * $1 THEN now() - interval '65 minutes'
                ELSE now() + interval '2 hours' END,
           CASE WHEN g > $1 AND g <= 2 * $1 THEN now() - interval '65 minutes' END,
           CASE WHEN g <= $1 THEN now() + interval '30 minutes'
                WHEN g <= 2 * $1 THEN now() - interval '5 minutes'
                ELSE now() + interval '3 hours' END,
           now() - interval '6 hours', now(), md5('due' || g)
      FROM generate_series(1, 3 * $1) g
      JOIN LATERAL (SELECT id FROM member WHERE team_id = 'alpha' AND role = 'rep' ORDER BY display_name
                    OFFSET (g % 3) LIMIT 1) r ON true`,
    [PER_KIND],
  );
}

/** Waits as the shared `until` does, saying on a timeout where the leads stand. */
const untilSwept = (check: () => Promise<boolean>, what: string) =>
  until(check, what, 60_000, {
    everyMs: 200,
    detail: async () => {
      const state = await sql.query(
        'SELECT status, (reminder_sent_at IS NOT NULL) AS reminded, count(*)::int AS n FROM lead GROUP BY 1, 2 ORDER BY 1, 2',
      );
      return JSON.stringify(state.rows);
    },
  });

const count = async (query: string): Promise<number> => (await sql.query(query)).rows[0].n as number;
/** DMs the fake Slack took, by the words that open each kind. */
const dmsSaying = (words: string) =>
  [...slack.history.entries()]
    .filter(([channel]) => channel.startsWith('D'))
    .flatMap(([, messages]) => messages)
    .filter((m) => String(m.text).includes(words));

describe('three instances sweeping one PostgreSQL', () => {
  it('remind and reclaim every due lead exactly once between them', async () => {
    // The first start creates the schema and the members; the others join it. The leads fall due
    // with all three up, so their sweeps (on the same second of each clock) contend for them.
    await start();
    await Promise.all([start(), start()]);
    await seedDueLeads();

    await untilSwept(
      async () =>
        (await count("SELECT count(*)::int AS n FROM lead WHERE status = 'pooled'")) === PER_KIND &&
        (await count('SELECT count(*)::int AS n FROM lead WHERE reminder_sent_at IS NOT NULL')) === PER_KIND,
      'the sweeps',
    );
    await untilSwept(async () => dmsSaying('Reminder: follow up on').length >= PER_KIND, 'the reminders on Slack');
    await untilSwept(
      async () => dmsSaying('was returned to the pool').length >= PER_KIND,
      'the reclaim notices on Slack',
    );
    // Several more sweeps on each instance, and the outbox settles: nothing more may happen.
    await new Promise((r) => setTimeout(r, 3_000));

    expect(await count("SELECT count(*)::int AS n FROM lead_event WHERE action = 'reclaimed'")).toBe(PER_KIND);
    expect(
      await count(
        "SELECT count(*)::int AS n FROM (SELECT lead_id FROM lead_event WHERE action = 'reclaimed' GROUP BY lead_id HAVING count(*) > 1) x",
      ),
    ).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM claim_ban')).toBe(PER_KIND);
    const reminders = dmsSaying('Reminder: follow up on').map((m) => /L-(\d+)/.exec(String(m.text))?.[1]);
    expect(reminders).toHaveLength(PER_KIND);
    expect(new Set(reminders).size).toBe(PER_KIND);
    const reclaims = dmsSaying('was returned to the pool').map((m) => /L-(\d+)/.exec(String(m.text))?.[1]);
    expect(reclaims).toHaveLength(PER_KIND);
    expect(new Set(reclaims).size).toBe(PER_KIND);
    // The leads not yet due were left alone.
    expect(await count("SELECT count(*)::int AS n FROM lead WHERE status = 'owned' AND reminder_sent_at IS NULL")).toBe(
      PER_KIND,
    );
    // What each instance says it did adds up to the same: none counted a lead another one handled.
    const done = logs.map((lines) =>
      lines
        .filter((l) => l.includes('"sla sweep done"'))
        .map((l) => JSON.parse(l) as { reminded: number; reclaimed: number })
        .reduce((sum, s) => ({ reminded: sum.reminded + s.reminded, reclaimed: sum.reclaimed + s.reclaimed }), {
          reminded: 0,
          reclaimed: 0,
        }),
    );
    expect(done.reduce((n, d) => n + d.reminded, 0)).toBe(PER_KIND);
    expect(done.reduce((n, d) => n + d.reclaimed, 0)).toBe(PER_KIND);
    console.log(`sweeps by instance: ${JSON.stringify(done)}`);
    for (const child of children) child.kill('SIGTERM');
  }, 120_000);
});
