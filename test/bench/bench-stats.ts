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

/** `count` pooled leads in team alpha, written directly; their ids, ascending. */
export async function createLeads(db: pg.Pool, count: number): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    "INSERT INTO lead (team_id, name, updated_at) SELECT 'alpha', 'Bench ' || g, now() FROM generate_series(1, $1) g RETURNING id",
    [count],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** The claim workload as raw conditional UPDATEs, all at once over `pool`: the floor to compare with. */
export async function rawBurst(pool: pg.Pool, pairs: [string, number][]): Promise<Stats> {
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
