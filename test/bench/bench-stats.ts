import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';

/** Latency figures of one burst, in ms; `wall` is the whole burst. */
export interface Stats {
  p50: number;
  p99: number;
  max: number;
  wall: number;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

export function stats(latencies: number[], wall: number): Stats {
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies), wall };
}

export const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;

/** One line of figures: p50, p99, max and the whole burst. */
export function printRow(name: string, s: Stats): void {
  console.log(`  ${name.padEnd(34)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  burst ${ms(s.wall)}`);
}

/** `count` pooled leads in team alpha, written directly; their ids, ascending. */
export async function createLeads(db: pg.Pool, count: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO lead (team_id, name, updated_at) SELECT 'alpha', 'Bench ' || g, now() FROM generate_series(1, $1) g RETURNING id",
    [count],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The claim workload as raw conditional UPDATEs, all at once over `pool`: the floor to compare with. */
export async function rawBurst(
  pool: { query(text: string, values: unknown[]): Promise<unknown> },
  pairs: [string, number][],
): Promise<Stats> {
  const start = performance.now();
  const latencies = await Promise.all(
    pairs.map(async ([memberId, leadId]) => {
      const t0 = performance.now();
      await pool.query(
        "UPDATE lead SET owner_id = $1::uuid, status = 'owned', owned_since = now() WHERE id = $2 AND owner_id IS NULL",
        [memberId, leadId],
      );
      return performance.now() - t0;
    }),
  );
  return stats(latencies, performance.now() - start);
}

/** Rep member ids of team alpha, by their id on `messenger`. */
export async function repMemberIds(db: pg.Pool, messenger: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    "SELECT m.id FROM member m JOIN member_identity i ON i.member_id = m.id WHERE m.role = 'rep' AND i.messenger = $1 ORDER BY i.external_id",
    [messenger],
  );
  return rows.map((r) => r.id);
}

/**
 * The statements a workload runs, counted by pg_stat_statements (see startPostgres's `statements`);
 * null where the server does not load it (TEST_DATABASE_URL without it).
 */
export async function statementCounter(db: pg.Pool): Promise<{
  reset(): Promise<void>;
  read(): Promise<{ calls: number; top: { calls: number; meanMs: number; query: string }[] }>;
} | null> {
  try {
    await db.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await db.query('SELECT pg_stat_statements_reset()');
  } catch {
    return null;
  }
  return {
    reset: async () => void (await db.query('SELECT pg_stat_statements_reset()')),
    read: async () => {
      const { rows } = await db.query<{ calls: string; mean_exec_time: number; query: string }>(
        `SELECT calls, mean_exec_time, query FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            AND query NOT LIKE '%pg_stat_statements%' ORDER BY calls DESC`,
      );
      const top = rows.map((r) => ({
        calls: Number(r.calls),
        meanMs: r.mean_exec_time,
        query: r.query.replace(/\s+/g, ' ').slice(0, 100),
      }));
      return { calls: top.reduce((sum, r) => sum + r.calls, 0), top: top.slice(0, 30) };
    },
  };
}

/** CPU ticks so far of this process, the app's process and each PostgreSQL process (by pid); null off Linux. */
export interface CpuSample {
  bench: number;
  app: number;
  postgres: Map<string, number>;
}

/** CPU used so far by this process, the app and each PostgreSQL process, from /proc. Null off Linux. */
export function cpuNow(appPid: number | undefined): CpuSample | null {
  if (!existsSync('/proc/self/stat')) return null;
  const read = (pid: string | number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      return { comm, ms: (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK };
    } catch {
      return { comm: '', ms: 0 };
    }
  };
  const postgres = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    const t = read(pid);
    if (t.comm === 'postgres') postgres.set(pid, t.ms);
  }
  const bench = process.cpuUsage();
  return { bench: (bench.user + bench.system) / 1000, app: appPid ? read(appPid).ms : 0, postgres };
}

const MS_PER_TICK = 10; // USER_HZ is 100 on Linux

/**
 * CPU ms each side used between two samples. A PostgreSQL process that ended in between is not
 * counted (its ticks are gone with it); one that started is counted whole.
 */
export function cpuSpent(before: CpuSample, after: CpuSample): { bench: number; app: number; postgres: number } {
  let postgres = 0;
  for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
  return { bench: after.bench - before.bench, app: after.app - before.app, postgres };
}
