/**
 * The rep's desk on a big database: `/lead mine`, `/lead show` and the App Home for a rep with 500
 * open leads and 5,000 follow-ups, among 1,000,000 leads, timed to the answer (the reply at the
 * command's response_url, the views.publish call), through the real Bolt receiver, with the app
 * in its own process. The same list read as one raw SQL query is the floor each figure is
 * compared with.
 *
 *   npm run bench:desk     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { spawnApp } from '../support/app-process.js';
import { FakeSlack } from '../support/fake-slack.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { postSigned, SIGNING_SECRET, signedEvent, signedForm, slashCommand } from '../support/slack-requests.js';
import { ms, type Stats, stats } from './bench-stats.js';
import { reportFigure } from './perf-figures.js';

const TEAMS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const REPS = 20;
const LEADS = 1_000_000;
const OPEN = 500;
const FOLLOW_UPS = 5_000;
const RUNS = 100;

const rep = (team: string, i: number) => `U${team.slice(0, 2).toUpperCase()}${String(i).padStart(4, '0')}`;
const manager = (team: string) => `UM${team.slice(0, 2).toUpperCase()}0001`;

function teamsYaml(): string {
  return `teams:\n${TEAMS.map(
    (team) => `  - id: ${team}
    name: Team ${team}
    timezone: Asia/Shanghai
    slack: { channel: C${team.toUpperCase()} }
    claim: { dailyQuota: 50, holdingCap: 1000, cooldown: 1h }
    sla: { followUp: 2d, remindBefore: 2h }
    members:
${Array.from({ length: REPS }, (_, i) => `      - { name: ${team} rep ${i}, slack: ${rep(team, i)} }`).join('\n')}
      - { name: ${team} manager, slack: ${manager(team)}, role: manager }`,
  ).join('\n')}\n`;
}

/** 1M leads over five teams (60 % pooled, 20 % owned, 15 % closed, 5 % merged), their events and follow-ups. */
async function seed(db: pg.Pool): Promise<{ repId: string; leadIds: number[] }> {
  const t0 = performance.now();
  await db.query(`CREATE TEMP TABLE IF NOT EXISTS bm AS
    SELECT m.team_id, (row_number() OVER (PARTITION BY m.team_id ORDER BY i.external_id) - 1)::int AS idx, m.id
      FROM member m JOIN member_identity i ON i.member_id = m.id WHERE m.role = 'rep' AND i.messenger = 'slack'`);
  await db.query(
    `
    INSERT INTO lead (team_id, status, stage, name, company, company_key, phone, email, owner_id, owned_since,
                      follow_up_due_at, remind_at, created_at, updated_at, fingerprint, name_key)
    SELECT t.team, s.status, s.stage, 'Lead ' || g, 'Company ' || (g % 50000), 'company ' || (g % 50000),
           '+86138' || lpad((g % 100000000)::text, 8, '0'), 'lead' || g || '@example.com',
           CASE WHEN s.status IN ('owned', 'closed') THEN bm.id END,
           CASE WHEN s.status = 'owned' THEN now() - interval '1 day' END,
           CASE WHEN s.status = 'owned' THEN now() + (g % 96 - 24) * interval '1 hour' END,
           CASE WHEN s.status = 'owned' THEN now() + (g % 96 - 26) * interval '1 hour' END,
           now() - (g % 400) * interval '1 day', now(), md5(g::text), 'lead ' || g
      FROM generate_series(1, $1::int) g
      CROSS JOIN LATERAL (SELECT (ARRAY['alpha','beta','gamma','delta','epsilon'])[1 + g % 5] AS team) t
      CROSS JOIN LATERAL (SELECT CASE WHEN g % 20 < 12 THEN 'pooled' WHEN g % 20 < 16 THEN 'owned'
                                      WHEN g % 20 < 19 THEN 'closed' ELSE 'merged' END AS status,
                                 CASE WHEN g % 20 < 12 THEN 'new' WHEN g % 20 < 16 THEN 'contacted'
                                      WHEN g % 20 < 18 THEN 'converted' WHEN g % 20 < 19 THEN 'lost' ELSE 'new' END AS stage) s
      LEFT JOIN bm ON bm.team_id = t.team AND bm.idx = 1 + (g / 20) % ${REPS - 1}`,
    [LEADS],
  );
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_kind, reason, at)
    SELECT id, team_id, 'created', 'system', 'api', created_at FROM lead`);
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, reason, at)
    SELECT id, team_id, 'claimed', owner_id, 'member', 'claim_pool', owned_since FROM lead WHERE status = 'owned'`);
  await db.query(`INSERT INTO follow_up (lead_id, member_id, method, note, at)
    SELECT id, owner_id, 'call', 'Called about the quote', owned_since + interval '1 hour' FROM lead WHERE status = 'owned'`);
  // The rep under test: rep 0 of alpha, with 500 open leads and 10 follow-ups on each.
  const { rows: me } = await db.query<{ id: string }>("SELECT id FROM bm WHERE team_id = 'alpha' AND idx = 0");
  const repId = me[0]?.id as string;
  const { rows: mine } = await db.query<{ id: number }>(
    `INSERT INTO lead (team_id, status, stage, name, company, company_key, phone, owner_id, owned_since,
                       follow_up_due_at, remind_at, updated_at, fingerprint)
     SELECT 'alpha', 'owned', 'contacted', 'My Lead ' || g, 'My Company ' || g, 'my company ' || g,
            '+8613900' || lpad(g::text, 6, '0'), $1::uuid, now() - interval '1 day',
            now() + (g % 72 - 12) * interval '1 hour', now() + (g % 72 - 14) * interval '1 hour', now(), md5('m' || g)
       FROM generate_series(1, $2::int) g RETURNING id`,
    [repId, OPEN],
  );
  await db.query(
    `INSERT INTO follow_up (lead_id, member_id, method, note, at)
     SELECT l.id, $1::uuid, 'call', 'Follow-up ' || k, now() - k * interval '1 hour'
       FROM lead l CROSS JOIN generate_series(1, $2::int / $3::int) k WHERE l.owner_id = $1::uuid AND l.status = 'owned'`,
    [repId, FOLLOW_UPS, OPEN],
  );
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, reason, at)
    SELECT id, team_id, 'claimed', owner_id, 'member', 'claim_pool', owned_since FROM lead WHERE owner_id = '${repId}'::uuid`);
  await db.query('ANALYZE');
  const { rows: count } = await db.query<{ n: string }>('SELECT count(*) AS n FROM lead');
  console.log(
    `seeded ${Number(count[0]?.n).toLocaleString('en-US')} leads in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { repId, leadIds: mine.map((r) => r.id) };
}

/** Sends `request` and waits for the fake Slack to receive the answer it produces. */
async function timeToAnswer(
  fake: FakeSlack,
  send: () => Promise<Response>,
  answered: (from: number) => { at: number; body: Record<string, unknown> } | undefined,
  check: (body: Record<string, unknown>) => boolean,
): Promise<number> {
  const from = fake.calls.length;
  const t0 = performance.now();
  const res = await send();
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  for (let waited = 0; ; waited++) {
    const call = answered(from);
    if (call) {
      if (!check(call.body)) throw new Error(`unexpected answer: ${JSON.stringify(call.body).slice(0, 300)}`);
      return call.at - t0;
    }
    if (waited > 3000) throw new Error('no answer within 30 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function series(label: string, run: (i: number) => Promise<number>, floor: Stats): Promise<Stats> {
  for (let i = 0; i < 10; i++) await run(i);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < RUNS; i++) latencies.push(await run(i));
  const s = stats(latencies, performance.now() - start);
  console.log(
    `${label.padEnd(34)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  p99 ${(s.p99 / floor.p99).toFixed(1)}× the raw list read${s.p99 < 200 ? '' : '  (over the 200 ms target)'}`,
  );
  return s;
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_desk');
  const fake = new FakeSlack();
  await fake.start();
  let child: ChildProcess | null = null;
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    const app = await spawnApp({
      databaseUrl: database.url,
      teamsYaml: teamsYaml(),
      env: {
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: fake.apiUrl,
        OUTBOX_POLL_MS: '3600000',
      },
    });
    child = app.child;
    console.log(
      `Leadpool desk benchmark: ${LEADS.toLocaleString('en-US')} leads, a rep with ${OPEN} open leads and ${FOLLOW_UPS.toLocaleString('en-US')} follow-ups, ${RUNS} sequential requests each, Node ${process.version}`,
    );
    const { repId, leadIds } = await seed(db);
    const me = rep('alpha', 0);
    const events = `${app.url}/slack/events`;
    let seq = 0;

    const rawTimes: number[] = [];
    for (let i = 0; i < RUNS + 10; i++) {
      const t0 = performance.now();
      await db.query("SELECT * FROM lead WHERE owner_id = $1::uuid AND status = 'owned' ORDER BY follow_up_due_at", [
        repId,
      ]);
      if (i >= 10) rawTimes.push(performance.now() - t0);
    }
    const floor = stats(rawTimes, 0);
    console.log(
      `${'raw SQL: the rep’s 500 open leads'.padEnd(34)} p50 ${ms(floor.p50)}  p99 ${ms(floor.p99)}  max ${ms(floor.max)}`,
    );

    const command = (text: string, expect: string) => () => {
      const id = `b${++seq}`;
      return timeToAnswer(
        fake,
        () => postSigned(events, signedForm(slashCommand(me, text, fake.responseUrl(id)))),
        (from) => fake.calls.slice(from).find((c) => c.method === `respond:/respond/${id}`),
        (body) => String(body.text).includes(expect),
      );
    };
    const home = (user: string, expect: string) => () =>
      timeToAnswer(
        fake,
        () =>
          postSigned(events, signedEvent({ type: 'app_home_opened', user, channel: 'D1', tab: 'home' }, `Ev${++seq}`)),
        (from) => fake.calls.slice(from).find((c) => c.method === 'views.publish' && c.body.user_id === user),
        (body) => JSON.stringify(body.view).includes(expect),
      );

    const mine = await series('/lead mine (500 open leads)', command('mine', `Your open leads (${OPEN})`), floor);
    reportFigure({
      bench: 'bench:desk (Slack)',
      database: 'PostgreSQL',
      what: `/lead mine, ${OPEN} open leads of 1 M: the answer, p99`,
      value: mine.p99,
      unit: 'ms',
      baseline: { what: 'raw SELECT of the list', value: floor.p99 },
    });
    await series('/lead mine overdue', command('mine overdue', 'overdue'), floor);
    await series(
      '/lead show (10 follow-ups, history)',
      (i) => command(`show L-${leadIds[i % leadIds.length]}`, 'Follow-ups (')(),
      floor,
    );
    await series('App Home, the rep', home(me, `${OPEN} open`), floor);
    await series('App Home, the manager (team overdue)', home(manager('alpha'), 'overdue'), floor);
  } finally {
    child?.kill('SIGTERM');
    await db.end();
    await fake.stop();
    await database.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
