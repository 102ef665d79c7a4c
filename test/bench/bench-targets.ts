/**
 * The two databases a benchmark runs the app on: PostgreSQL (a throw-away server, or
 * TEST_DATABASE_URL as an admin URL) and the embedded default (PGlite in the app's process). Each
 * gives the app's settings, a way to create pooled leads, and the same claims as raw conditional
 * UPDATEs: on the same PostgreSQL, or on a PGlite in this process with the same schema and teams
 * (the app holds its embedded database), one statement at a time as PGlite runs them.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { Prisma } from '../../src/generated/prisma/client.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { INTAKE_KEY } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { createLeads, rawBurst, repMemberIds, type Stats, statementCounter } from './bench-stats.js';

export interface BenchDatabase {
  name: string;
  /** DATABASE_URL for the app: empty for the embedded database. */
  databaseUrl: string;
  /** The app's settings for this database. */
  appEnv: Record<string, string>;
  /** Pooled leads of team alpha; `appUrl` is the running app (the embedded database takes them through intake). */
  createLeads(appUrl: string, count: number): Promise<number[]>;
  /**
   * The two bursts as raw conditional UPDATEs by a messenger's reps: `oneLead` reps on one new lead,
   * then `spread` reps on as many new leads.
   */
  rawClaims(messenger: string, oneLead: number, spread: number): Promise<{ same: Stats; spread: Stats }>;
  /** Counts the statements on PostgreSQL; null on the embedded database. */
  statements: Awaited<ReturnType<typeof statementCounter>>;
  /** Before a measured burst: what a running database has (its statistics). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The databases to run on: both, or the one BENCH_DB names ("postgres" or "embedded"). */
export function benchDatabases(): ((teamsYaml: string, pool: number) => Promise<BenchDatabase>)[] {
  const only = process.env.BENCH_DB;
  return [...(only === 'embedded' ? [] : [onPostgres]), ...(only === 'postgres' ? [] : [onEmbedded])];
}

async function onPostgres(_teamsYaml: string, pool: number): Promise<BenchDatabase> {
  const server = await startPostgres({ statements: true });
  const database = await createDatabase(server.adminUrl, 'lp_bench');
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  const rawPool = new pg.Pool({ connectionString: database.url, max: pool });
  return {
    name: `PostgreSQL, app pool ${pool}`,
    databaseUrl: database.url,
    appEnv: { DATABASE_POOL_SIZE: String(pool) },
    createLeads: (_appUrl, count) => createLeads(db, count),
    rawClaims: async (messenger, oneLead, spread) =>
      rawClaims(
        { query: (text, values) => rawPool.query(text, values) },
        await repMemberIds(db, messenger),
        (count) => createLeads(db, count),
        { oneLead, spread },
      ),
    statements: await statementCounter(db),
    // Autovacuum analyzes a table within a minute of such changes; a running database has its statistics.
    settle: async () => void (await db.query('ANALYZE')),
    stop: async () => {
      await rawPool.end();
      await db.end();
      await database.drop();
      await server.stop();
    },
  };
}

async function onEmbedded(teamsYaml: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-bench-embedded-'));
  const copy = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
  await syncTeams(copy.prisma, parseTeamsConfig(teamsYaml, 'bench'), new Date());
  return {
    name: 'embedded database (PGlite), in the app process',
    databaseUrl: '',
    appEnv: { DATA_DIR: dir },
    createLeads: intakeLeads,
    rawClaims: async (messenger, oneLead, spread) => {
      const members = await copy.sql<{ id: string }>(
        Prisma.sql`SELECT m.id FROM member m JOIN member_identity i ON i.member_id = m.id
                    WHERE m.role = 'rep' AND i.messenger = ${messenger} ORDER BY i.external_id`,
      );
      const leads = async (count: number) =>
        (
          await copy.sql<{ id: number }>(
            Prisma.sql`INSERT INTO lead (team_id, name, updated_at)
                       SELECT 'alpha', 'Raw ' || g, now() FROM generate_series(1, ${count}::int) g RETURNING id`,
          )
        ).map((r) => r.id);
      return rawClaims(
        { query: (text, values) => copy.sql({ text, values }) },
        members.map((r) => r.id),
        leads,
        { oneLead, spread },
      );
    },
    statements: null,
    settle: async () => undefined,
    stop: async () => {
      await copy.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `oneLead` reps' raw claims on one new lead, then `spread` reps' on as many new leads. */
async function rawClaims(
  db: { query(text: string, values: unknown[]): Promise<unknown> },
  members: string[],
  newLeads: (count: number) => Promise<number[]>,
  counts: { oneLead: number; spread: number },
): Promise<{ same: Stats; spread: Stats }> {
  const [one] = await newLeads(1);
  const same = await rawBurst(
    db,
    members.slice(0, counts.oneLead).map((m) => [m, one ?? 0]),
  );
  const many = await newLeads(counts.spread);
  const spread = await rawBurst(
    db,
    members.slice(0, counts.spread).map((m, i) => [m, many[i] ?? 0]),
  );
  return { same, spread };
}

/** Runs `bench` on each database of `benchDatabases`, one after the other, each stopped after. */
export async function onEachDatabase(
  teamsYaml: string,
  pool: number,
  bench: (target: BenchDatabase) => Promise<void>,
): Promise<void> {
  for (const open of benchDatabases()) {
    const target = await open(teamsYaml, pool);
    try {
      await bench(target);
    } finally {
      await target.stop();
    }
  }
}

/** Leads created through the intake API, their cards out before anything is measured. */
async function intakeLeads(appUrl: string, count: number): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < count; start += 500) {
    const leads = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
      team: 'alpha',
      name: `Bench ${start + i} ${Math.random().toString(36).slice(2)}`,
    }));
    const res = await fetch(`${appUrl}/api/leads/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leads }),
    });
    if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
    ids.push(...((await res.json()) as { results: { id: number }[] }).results.map((r) => r.id));
  }
  await outboxDrained(appUrl);
  return ids;
}

/** Waits until every message queued so far is sent, or given up on, as the app's /metrics says. */
export async function outboxDrained(appUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${appUrl}/metrics`)).text();
    const pending = text
      .split('\n')
      .filter((line) => line.startsWith('leadpool_outbox_pending{'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    if (pending === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the outbox did not drain within 60 s');
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
