/**
 * The SLA sweep's cost follows the number of due leads, not the table: one sweep over 1,000,000
 * leads with 10,000 due (5,000 to remind, 5,000 to reclaim), and one over 100,000 leads with the
 * same 10,000 due, each on its own database, timed in one run.
 *
 *   npm run bench:sweep     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { reportFigure } from './perf-figures.js';

const TEAMS = 10;
const DUE = 10_000;
const team = (i: number) => `t${i}`;
const config = parseTeamsConfig(
  `teams:\n${Array.from(
    { length: TEAMS },
    (_, i) => `  - id: ${team(i)}
    name: Team ${i}
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 100000, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 1h }
    members:
      - { name: Rep ${i}, slack: UR${i} }
      - { name: Manager ${i}, slack: UM${i}, role: manager }`,
  ).join('\n')}\n`,
  'bench',
);

async function seed(url: string, leads: number, now: Date): Promise<void> {
  const db = new pg.Pool({ connectionString: url, max: 1 });
  // Most leads are pooled or owned and not due; DUE of them are owned and due: half for a reminder
  // (inside the last hour before the deadline), half past the deadline.
  await db.query(
    `INSERT INTO lead (team_id, status, stage, name, owner_id, owned_since, first_owned_at, follow_up_due_at, remind_at,
                       created_at, updated_at, fingerprint)
     SELECT 't' || (g % ${TEAMS}), CASE WHEN g <= $2 OR g % 2 = 0 THEN 'owned' ELSE 'pooled' END, 'new', 'Lead ' || g,
            CASE WHEN g <= $2 OR g % 2 = 0 THEN m.id END, $3::timestamptz - interval '5 hours', $3::timestamptz - interval '5 hours',
            CASE WHEN g <= $2 / 2 THEN $3::timestamptz + interval '30 minutes'
                 WHEN g <= $2 THEN $3::timestamptz - interval '10 minutes'
                 WHEN g % 2 = 0 THEN $3::timestamptz + interval '3 hours' END,
            CASE WHEN g <= $2 / 2 THEN $3::timestamptz - interval '30 minutes'
                 WHEN g <= $2 THEN $3::timestamptz - interval '70 minutes'
                 WHEN g % 2 = 0 THEN $3::timestamptz + interval '2 hours' END,
            $3::timestamptz - interval '6 hours', $3::timestamptz, md5(g::text)
       FROM generate_series(1, $1::int) g
       JOIN member m ON m.team_id = 't' || (g % ${TEAMS}) AND m.role = 'rep'`,
    [leads, DUE, now],
  );
  // The past-deadline half was reminded already: the sweep reclaims them.
  await db.query('UPDATE lead SET reminder_sent_at = remind_at WHERE id <= $1 AND follow_up_due_at <= $2', [DUE, now]);
  await db.query('UPDATE lead SET reclaim_at = follow_up_due_at');
  await db.query('ANALYZE');
  await db.end();
}

async function sweepOnce(url: string, leads: number, now: Date) {
  const database = await openDatabase({ url, dataDir: '', poolSize: 10 });
  await syncTeams(database.prisma, config, now);
  const t0 = performance.now();
  await seed(url, leads, now);
  const seeded = performance.now() - t0;
  const deps = {
    store: new PrismaLeadStore(database.prisma),
    teams: teamDirectory(config.teams),
    clock: new ManualClock(now),
  };
  const t1 = performance.now();
  const summary = await runSlaSweep(deps);
  const ms = performance.now() - t1;
  await database.close();
  return { seeded, ms, summary };
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const now = new Date('2026-11-30T02:00:00Z');
  console.log(`Leadpool SLA sweep benchmark: ${DUE.toLocaleString('en-US')} due leads, Node ${process.version}`);
  const results: Record<string, number> = {};
  for (const leads of [100_000, 1_000_000]) {
    const database = await createDatabase(server.adminUrl, `lp_bench_sweep_${leads}`);
    try {
      const { seeded, ms, summary } = await sweepOnce(database.url, leads, now);
      results[leads] = ms;
      console.log(
        `${leads.toLocaleString('en-US').padStart(9)} leads (seeded in ${(seeded / 1000).toFixed(1)} s): sweep ${(ms / 1000).toFixed(2)} s, reminded ${summary.reminded}, reclaimed ${summary.reclaimed}, failed ${summary.failed}${ms < 2_000 ? '' : '  (over the 2 s target)'}`,
      );
    } finally {
      await database.drop();
    }
  }
  const ratio = (results[1_000_000] ?? 0) / (results[100_000] ?? 1);
  reportFigure({
    bench: 'bench:sweep',
    database: 'PostgreSQL',
    what: `SLA sweep of ${DUE.toLocaleString('en-US')} due leads among 1 M`,
    value: results[1_000_000] ?? 0,
    unit: 'ms',
    baseline: { what: 'the same among 100,000', value: results[100_000] ?? 0 },
  });
  console.log(`1,000,000 vs 100,000 leads: ${ratio.toFixed(2)}×${ratio <= 1.5 ? '' : '  (over the 1.5× target)'}`);
  await server.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
