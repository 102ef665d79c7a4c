/**
 * Assignment decisions with 200 reps and 50 pool rules. First the decision alone (which pool, then
 * which rep: the pure functions, 100,000 times); then whole assignments on PostgreSQL, each its own
 * transaction that holds its pool, reads the 200 candidates' shares and limits and moves the lead,
 * 2,000 of them from two assigners at once.
 *
 *   npm run bench:assign     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { assignFromPools } from '../../src/domain/distribution/assign-from-pool.js';
import { type Candidate, chooseAssignee } from '../../src/domain/distribution/choose-assignee.js';
import { routeLead } from '../../src/domain/distribution/pools.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { percentile } from './bench-stats.js';
import { reportFigure } from './perf-figures.js';

const REPS = 200;
const RULES = 50;
const DECISIONS = 100_000;
const ASSIGNMENTS = 2_000;
const regions = Array.from({ length: RULES }, (_, i) => `Region ${i}`);
const names = Array.from({ length: REPS }, (_, i) => `Rep ${i}`);
const config = parseTeamsConfig(
  `teams:
  - id: big
    name: Big team
    timezone: Asia/Shanghai
    claim: { dailyQuota: 100000, holdingCap: 100000, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
${names.map((n, i) => `      - { name: ${n}, slack: U${String(i).padStart(5, '0')} }`).join('\n')}
    pools:
${regions
  .slice(0, RULES - 1)
  .map(
    (r, i) =>
      `      - { id: p${i}, match: { region: ["${r}"], industry: [SaaS, Retail] }, mode: weighted, weights: { Rep ${i}: 3 } }`,
  )
  .join('\n')}
      - { id: rest, mode: round_robin }
`,
  'bench',
);
const team = config.teams[0];

function decisions(): number[] {
  if (!team?.pools) throw new Error('no pools');
  const times: number[] = [];
  const assigned = names.map(() => 0);
  for (let n = 0; n < DECISIONS; n++) {
    const lead = { region: regions[(n * 7) % RULES] ?? null, industry: n % 3 === 0 ? 'Other' : 'SaaS', grade: 'good' };
    const t0 = performance.now();
    const pool = routeLead(team.pools, lead);
    const candidates: Candidate[] = names.map((name, order) => ({
      memberId: name,
      order,
      weight: pool.weights[name] ?? 1,
      assigned: assigned[order] ?? 0,
      held: 0,
      refusal: order % 17 === 0 ? 'paused' : null,
    }));
    const choice = chooseAssignee(pool.mode, candidates);
    times.push(performance.now() - t0);
    if (choice) assigned[choice.chosen.order] = (assigned[choice.chosen.order] ?? 0) + 1;
  }
  return times;
}

/** The same run's baseline: each lead handed back to its owner by one conditional UPDATE, two at a time. */
async function rawOwnerUpdates(url: string, ids: number[]): Promise<number[]> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const t0 = performance.now();
        await pool.query(
          `UPDATE lead SET owner_id = owner_id, owned_since = now(), updated_at = now() WHERE id = $1 AND status = 'owned'`,
          [id],
        );
        times.push(performance.now() - t0);
      }
    }),
  );
  await pool.end();
  return times;
}

async function main(): Promise<void> {
  console.log(`Leadpool assignment benchmark: ${REPS} reps, ${RULES} pool rules, Node ${process.version}`);
  const times = decisions();
  console.log(
    `decision (route + choose), ${DECISIONS.toLocaleString('en')} times: p50 ${percentile(times, 50).toFixed(3)} ms, ` +
      `p99 ${percentile(times, 99).toFixed(3)} ms (target p99 < 5 ms)`,
  );

  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_assign');
  const now = new Date();
  const clock = new ManualClock(now);
  const teams = teamDirectory(config.teams);
  const dbs = [
    await openDatabase({ url: database.url, dataDir: '', poolSize: 4 }),
    await openDatabase({ url: database.url, dataDir: '', poolSize: 4 }),
  ];
  try {
    const [first] = dbs;
    if (!first) throw new Error('no database');
    await syncTeams(first.prisma, config, now);
    const sql = new pg.Pool({ connectionString: database.url, max: 1 });
    const { rows } = await sql.query<{ id: number }>(
      `INSERT INTO lead (team_id, name, region, industry, pool_id, updated_at)
       SELECT 'big', 'Lead ' || g, 'Region ' || (g % ${RULES - 1}), 'SaaS', 'p' || (g % ${RULES - 1}), now()
         FROM generate_series(1, $1) g RETURNING id`,
      [ASSIGNMENTS],
    );
    await sql.end();
    const ids = rows.map((r) => r.id);
    const halves = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)];
    const each: number[] = [];
    const t0 = performance.now();
    await Promise.all(
      dbs.map(async (db, k) => {
        const deps = { store: new PrismaLeadStore(db.prisma), teams, clock };
        for (const id of halves[k] ?? []) {
          const s = performance.now();
          const [result] = await assignFromPools(deps, [id]);
          each.push(performance.now() - s);
          if (!result?.assigned) throw new Error(`lead ${id} was not assigned: ${result?.reason}`);
        }
      }),
    );
    const wall = performance.now() - t0;
    const raw = await rawOwnerUpdates(database.url, ids);
    console.log(
      `baseline, PostgreSQL alone: the same ${ASSIGNMENTS} leads' owner set by a conditional UPDATE each, 2 connections: ` +
        `p50 ${percentile(raw, 50).toFixed(1)} ms, p99 ${percentile(raw, 99).toFixed(1)} ms`,
    );
    reportFigure({
      bench: 'bench:assign',
      database: 'PostgreSQL',
      what: `${ASSIGNMENTS} assignments among ${REPS} reps by 2 assigners, p99`,
      value: percentile(each, 99),
      unit: 'ms',
      baseline: { what: 'raw conditional UPDATE', value: percentile(raw, 99) },
    });
    console.log(
      `assignment on PostgreSQL (transaction, pool lock, 200 candidates' shares and limits, move, outbox), ` +
        `${ASSIGNMENTS} by 2 assigners: p50 ${percentile(each, 50).toFixed(1)} ms, p99 ${percentile(each, 99).toFixed(1)} ms; ` +
        `${(ASSIGNMENTS / (wall / 1000)).toFixed(0)} leads/s`,
    );
  } finally {
    for (const db of dbs) await db.close();
    await database.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
