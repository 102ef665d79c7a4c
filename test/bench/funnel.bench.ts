/**
 * `/lead funnel` on a big database: 1,000,000 leads over five teams with their stage times, audit
 * rows, deals and 3,000,000 follow-ups; the report (stages, times, SLA, reclaims, channels, reps,
 * and the previous period) for one team and for all teams, through the use case and its SQL. Each
 * case runs from the roll-ups (what the app reads) and, as the same run's baseline, from the direct
 * queries over the rows; the two reports must read the same.
 *
 *   npm run bench:funnel     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 *   BENCH_KEEP=1 npm run bench:funnel    keeps the seeded database for EXPLAIN until Ctrl-C
 *   BENCH_CASES=365 npm run bench:funnel  only the cases whose label has that text
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { funnelReport } from '../../src/domain/reports/funnel.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { PrismaReportReader } from '../../src/infra/db/report.repository.js';
import { foldReportRollups, RollupReportReader } from '../../src/infra/db/report-rollup.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { presentFunnel } from '../../src/messengers/shared/presenters/funnel.presenter.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { ms, stats } from './bench-stats.js';
import { reportFigure } from './perf-figures.js';

const TEAMS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
const REPS = 20;
const LEADS = 1_000_000;
const FOLLOW_UPS = 3_000_000;
const RUNS = 30;
const NOW = new Date('2026-11-29T04:00:00Z');

function teamsYaml(): string {
  return `teams:\n${TEAMS.map(
    (team) => `  - id: ${team}
    name: Team ${team}
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 1000, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 1h }
    members:
${Array.from({ length: REPS }, (_, i) => `      - { name: ${team} rep ${i}, slack: U${team.slice(0, 2).toUpperCase()}${i} }`).join('\n')}
      - { name: ${team} manager, slack: UM${team.slice(0, 2).toUpperCase()}, role: manager }
      - { name: ${team} admin, slack: UAD${team.slice(0, 2).toUpperCase()}, role: admin }`,
  ).join('\n')}
sources:
  - { id: search_ads, category: paid, cost: { amount: 30000, currency: CNY, period: month } }
  - { id: purchased_data, category: paid, cost: { amount: 8000, currency: CNY, period: month } }
`;
}

/** Leads over the last 400 days: 40 % never contacted, then contacted, qualified, converted or closed. */
async function seed(db: pg.Pool): Promise<void> {
  const t0 = performance.now();
  await db.query(`CREATE TEMP TABLE bm AS
    SELECT m.team_id, (row_number() OVER (PARTITION BY m.team_id ORDER BY m.display_name) - 1)::int AS idx, m.id
      FROM member m WHERE m.role = 'rep'`);
  await db.query(
    `INSERT INTO lead (team_id, status, stage, name, source, channel, owner_id, owned_since, first_owned_at, contacted_at, qualified_at,
                       converted_at, closed_at, created_at, updated_at, fingerprint)
     SELECT t.team, s.status, s.stage, 'Lead ' || g,
            (ARRAY['website','search_ads','purchased_data','referral','event'])[1 + g % 5], 'api',
            CASE WHEN s.status <> 'pooled' THEN bm.id END,
            CASE WHEN s.status <> 'pooled' THEN c.at + interval '5 minutes' END,
            CASE WHEN s.status <> 'pooled' THEN c.at + interval '5 minutes' END,
            CASE WHEN g % 10 >= 4 THEN c.at + (g % 480) * interval '1 minute' END,
            CASE WHEN g % 10 >= 6 THEN c.at + interval '2 days' END,
            CASE WHEN g % 10 = 9 THEN c.at + interval '9 days' END,
            CASE WHEN g % 10 = 8 THEN c.at + interval '5 days' END,
            c.at, c.at, md5(g::text)
       FROM generate_series(1, $1::int) g
       CROSS JOIN LATERAL (SELECT (ARRAY['alpha','beta','gamma','delta','epsilon'])[1 + g % 5] AS team) t
       CROSS JOIN LATERAL (SELECT $2::timestamptz - (g % 400) * interval '1 day' - (g % 1440) * interval '1 minute' AS at) c
       CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 3 THEN 'pooled' WHEN g % 10 < 8 THEN 'owned' ELSE 'closed' END AS status,
                                  CASE g % 10 WHEN 4 THEN 'contacted' WHEN 5 THEN 'contacted' WHEN 6 THEN 'qualified'
                                   WHEN 7 THEN 'qualified' WHEN 8 THEN 'lost' WHEN 9 THEN 'converted' ELSE 'new' END AS stage) s
       LEFT JOIN bm ON bm.team_id = t.team AND bm.idx = (g / 5) % ${REPS}`,
    [LEADS, NOW],
  );
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_kind, reason, at)
    SELECT id, team_id, 'created', 'system', 'api', created_at FROM lead`);
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, to_owner_id, first_contact_at, reason, at)
    SELECT id, team_id, 'claimed', owner_id, 'member', owner_id, contacted_at, 'claim_pool', owned_since FROM lead WHERE owner_id IS NOT NULL`);
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, reason, at)
    SELECT id, team_id, 'converted', owner_id, 'member', '', converted_at FROM lead WHERE converted_at IS NOT NULL`);
  await db.query(`INSERT INTO lead_event (lead_id, team_id, action, actor_kind, from_owner_id, reason, at)
    SELECT id, team_id, 'reclaimed', 'system', owner_id, 'follow_up_sla_breached', owned_since + interval '4 hours'
      FROM lead WHERE owner_id IS NOT NULL AND id % 17 = 0`);
  await db.query(
    `INSERT INTO follow_up (lead_id, member_id, method, note, at)
     SELECT l.id, l.owner_id, 'call', 'Follow-up ' || k, l.contacted_at + (k - 1) * interval '1 day'
       FROM lead l CROSS JOIN generate_series(1, 10) k
      WHERE l.contacted_at IS NOT NULL AND l.owner_id IS NOT NULL
      LIMIT $1`,
    [FOLLOW_UPS],
  );
  await db.query(`INSERT INTO customer (team_id, name, company_key, created_at)
    SELECT team_id, 'Customer ' || id, 'customer ' || id, converted_at FROM lead WHERE stage = 'converted'`);
  await db.query(`INSERT INTO deal (lead_id, customer_id, member_id, value, currency, won_at)
    SELECT l.id, c.id, l.owner_id, 1000 + l.id % 9000, 'CNY', l.converted_at
      FROM lead l JOIN customer c ON c.company_key = 'customer ' || l.id WHERE l.stage = 'converted'`);
  // Settled, as autovacuum leaves a database: statistics, and the visibility map for index-only reads.
  await db.query('VACUUM ANALYZE');
  const { rows } = await db.query<{ leads: string; follow_ups: string }>(
    'SELECT (SELECT count(*) FROM lead) AS leads, (SELECT count(*) FROM follow_up) AS follow_ups',
  );
  const n = (v: string | undefined) => Number(v).toLocaleString('en-US');
  console.log(
    `seeded ${n(rows[0]?.leads)} leads and ${n(rows[0]?.follow_ups)} follow-ups in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_funnel');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const db = await openDatabase({ url: database.url, dataDir: '', poolSize: 8 });
  try {
    const config = parseTeamsConfig(teamsYaml(), 'bench');
    await syncTeams(db.prisma, config, NOW);
    console.log(
      `Leadpool funnel benchmark: ${LEADS.toLocaleString('en-US')} leads, ${FOLLOW_UPS.toLocaleString('en-US')} follow-ups, ${RUNS} runs each, Node ${process.version}`,
    );
    await seed(pool);
    const t0 = performance.now();
    const folded = await foldReportRollups(db.prisma);
    const { rows: rollupRows } = await pool.query<{ n: string }>(
      'SELECT (SELECT count(*) FROM report_cohort) + (SELECT count(*) FROM report_take) + (SELECT count(*) FROM report_delay) AS n',
    );
    console.log(
      `roll-ups: ${folded.toLocaleString('en-US')} rows folded in ${ms(performance.now() - t0)}; ${Number(rollupRows[0]?.n).toLocaleString('en-US')} rows kept`,
    );
    const base = {
      store: new PrismaLeadStore(db.prisma),
      teams: teamDirectory(config.teams),
      sources: config.sources,
      clock: new ManualClock(NOW),
    };
    const readers = {
      'roll-ups': { ...base, reports: new RollupReportReader(db.prisma) },
      direct: { ...base, reports: new PrismaReportReader(db.prisma) },
    };
    const only = process.env.BENCH_CASES;
    const cases: [string, string, string][] = [
      ['one team, this month', 'UMAL', 'this month'],
      ['one team, last 90 days', 'UMAL', '2026-09-01..2026-11-29'],
      ['all teams (admin), this month', 'UADAL', 'this month'],
      ['all teams (admin), last 90 days', 'UADAL', '2026-09-01..2026-11-29'],
      ['all teams (admin), last 365 days', 'UADAL', '2025-11-30..2026-11-29'],
      ['one rep, their own, this month', 'UAL3', 'this month'],
    ];
    for (const [label, user, period] of cases) {
      if (only && !label.includes(only)) continue;
      const measured: Record<string, { p50: number; p99: number; text: string }> = {};
      for (const [name, deps] of Object.entries(readers)) {
        const latencies: number[] = [];
        let text = '';
        for (let i = 0; i < RUNS + 3; i++) {
          const t0 = performance.now();
          const report = await funnelReport(deps, { actor: slackIdentity(user, 'T1'), period });
          text = presentFunnel(report, 'en');
          if (i >= 3) latencies.push(performance.now() - t0);
        }
        const s = stats(latencies, 0);
        measured[name] = { p50: s.p50, p99: s.p99, text };
        const leadsIn = /Leads in: (\d+)/.exec(text)?.[1];
        console.log(
          `${label.padEnd(34)} ${name.padEnd(8)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  (${leadsIn} leads in)`,
        );
      }
      const [rolled, direct] = [measured['roll-ups'], measured.direct];
      if (!rolled || !direct) continue;
      if (rolled.text !== direct.text) throw new Error(`${label}: the roll-ups' report differs from the direct one`);
      console.log(
        `${''.padEnd(34)} roll-ups / direct p50 ${(rolled.p50 / direct.p50).toFixed(2)}×${rolled.p50 < 200 ? '' : '  (over the 200 ms p50 target)'}`,
      );
      // The README's table has room for one line of it: the year, the widest report.
      if (label.includes('365'))
        reportFigure({
          bench: 'bench:funnel (1 M leads)',
          database: 'PostgreSQL',
          what: 'all teams, last 365 days: the report, p50',
          value: rolled.p50,
          unit: 'ms',
          baseline: { what: 'direct queries', value: direct.p50 },
        });
    }
    if (process.env.BENCH_KEEP) {
      // For EXPLAIN and profiling on the seeded database; Ctrl-C drops it.
      console.log(`database kept until interrupted: ${database.url}`);
      await new Promise((resolve) => process.once('SIGINT', resolve));
    }
  } finally {
    await db.close();
    await pool.end();
    await database.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
