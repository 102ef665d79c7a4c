/**
 * A digest run for 50 teams on a database of 1,000,000 leads: from the job claiming the 50 slots
 * to the 50th digest DM reaching (a local fake of) Slack, through the real outbox relay and Bolt's
 * Web API client, including each digest's two charts drawn as PNG and uploaded into its thread.
 *
 *   npm run bench:digest     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { FakeSlack } from '../support/fake-slack.js';
import { startTestLeadpool } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { reportFigure } from './perf-figures.js';

const TEAMS = 50;
const LEADS = 1_000_000;
const team = (i: number) => `t${String(i).padStart(2, '0')}`;
const manager = (i: number) => `UM${String(i).padStart(4, '0')}`;

function teamsYaml(): string {
  return `teams:\n${Array.from(
    { length: TEAMS },
    (_, i) => `  - id: ${team(i)}
    name: Team ${i}
    timezone: Asia/Shanghai
    slack: { channel: C${String(i).padStart(8, '0')} }
    claim: { dailyQuota: 50, holdingCap: 1000, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 1h }
    digest: { daily: "18:00" }
    members:
      - { name: Rep ${i}a, slack: UR${String(i).padStart(4, '0')}A }
      - { name: Rep ${i}b, slack: UR${String(i).padStart(4, '0')}B }
      - { name: Manager ${i}, slack: ${manager(i)}, role: manager }`,
  ).join('\n')}\n`;
}

async function seed(db: pg.Pool, now: Date): Promise<void> {
  const t0 = performance.now();
  await db.query(
    `INSERT INTO lead (team_id, status, stage, name, source, owner_id, owned_since, first_owned_at, contacted_at,
                       follow_up_due_at, created_at, updated_at, fingerprint)
     SELECT 't' || lpad((g % ${TEAMS})::text, 2, '0'),
            CASE WHEN g % 3 = 0 THEN 'pooled' ELSE 'owned' END, CASE WHEN g % 3 = 2 THEN 'contacted' ELSE 'new' END,
            'Lead ' || g, (ARRAY['website','search_ads','event'])[1 + g % 3],
            CASE WHEN g % 3 <> 0 THEN m.id END, c.at, CASE WHEN g % 3 <> 0 THEN c.at END,
            CASE WHEN g % 3 = 2 THEN c.at + interval '30 minutes' END,
            CASE WHEN g % 3 <> 0 THEN c.at + interval '4 hours' END, c.at, c.at, md5(g::text)
       FROM generate_series(1, $1::int) g
       CROSS JOIN LATERAL (SELECT $2::timestamptz - (g % 400) * interval '1 day' - (g % 600) * interval '1 minute' AS at) c
       LEFT JOIN LATERAL (SELECT id FROM member WHERE team_id = 't' || lpad((g % ${TEAMS})::text, 2, '0') AND role = 'rep'
                           ORDER BY display_name LIMIT 1) m ON true`,
    [LEADS, now],
  );
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, to_owner_id, first_contact_at, reason, at)
    SELECT id, team_id, 'claimed', owner_id, 'member', owner_id, contacted_at, 'claim_pool', owned_since FROM lead WHERE owner_id IS NOT NULL`);
  await db.query('ANALYZE');
  console.log(
    `seeded ${LEADS.toLocaleString('en-US')} leads over ${TEAMS} teams in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_digest');
  const fake = new FakeSlack();
  await fake.start();
  // 17:00 Shanghai on Sunday 29 Nov; the digests are due at 18:00.
  const clock = new ManualClock('2026-11-29T09:00:00Z');
  const app = await startTestLeadpool({
    databaseUrl: database.url,
    slackApiUrl: fake.apiUrl,
    clock,
    teams: teamsYaml(),
    poolSize: 10,
  });
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    console.log(
      `Leadpool digest benchmark: ${TEAMS} teams, ${LEADS.toLocaleString('en-US')} leads, Node ${process.version}`,
    );
    await seed(db, clock.now());
    // The first run records yesterday's slot (nothing was missed yet); today's is the one timed.
    await app.runDigests();
    clock.set(new Date('2026-11-29T10:00:05Z'));
    const t0 = performance.now();
    const run = await app.runDigests();
    const claimed = performance.now() - t0;
    const digests = () =>
      fake.of('chat.postMessage').filter((c) => String(c.body.text).includes('Daily digest')).length;
    const charted = () => fake.of('files.completeUploadExternal').filter((c) => c.body.thread_ts).length;
    while (digests() < TEAMS || charted() < TEAMS) {
      await app.relay.drain();
      if (performance.now() - t0 > 120_000)
        throw new Error(`only ${digests()} digests, ${charted()} charted, after 120 s`);
    }
    const total = performance.now() - t0;
    const pngs = [...fake.uploadBytes.values()].filter((b) => b.subarray(1, 4).toString() === 'PNG');
    const bytes = pngs.reduce((n, b) => n + b.length, 0);
    console.log(`claimed ${run.sent} slots and queued their DMs in ${claimed.toFixed(0)} ms`);
    // The same run's baseline: how long one digest's work takes before the first chart is in Slack.
    const firstChart = Math.min(...fake.of('files.completeUploadExternal').map((c) => c.at));
    console.log(`the first chart in a digest thread after ${(firstChart - t0).toFixed(0)} ms`);
    reportFigure({
      bench: 'bench:digest (Slack)',
      database: 'PostgreSQL',
      what: `${TEAMS} teams' digests with charts, 1 M leads: all delivered`,
      value: total,
      unit: 'ms',
      baseline: { what: 'the first chart delivered', value: firstChart - t0 },
    });
    console.log(
      `all ${TEAMS} digests delivered with their charts in ${(total / 1000).toFixed(2)} s${total < 10_000 ? '' : '  (over the 10 s target)'}; ${(total / TEAMS).toFixed(0)} ms per team`,
    );
    console.log(
      `charts: ${pngs.length} PNGs uploaded into digest threads, ${(bytes / pngs.length / 1024).toFixed(0)} KiB each on average`,
    );
  } finally {
    await app.stop();
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
