import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../generated/prisma/client.js';
import { acquireEmbeddedLock, type EmbeddedLock } from './embedded-lock.js';
import { applyMigrations, type MigrateResult, type MigrationConnection, readMigrations } from './migrate.js';
import { pgliteSql, poolSql, poolTransaction, type SqlRunner, type SqlTransaction, StatementNames } from './sql.js';

export interface Database {
  kind: 'postgres' | 'pglite';
  prisma: PrismaClient;
  /** The same database without the ORM, for the statements of a burst (see SqlRunner). */
  sql: SqlRunner;
  /** Transactions without the ORM, on PostgreSQL (see SqlTransaction); the embedded one has none. */
  transaction?: SqlTransaction;
  migration: MigrateResult;
  ping(): Promise<boolean>;
  /** What keeps this instance from serving: the database out of reach, or a migration of this build not applied. */
  unready(): Promise<string[]>;
  /**
   * What autovacuum does on PostgreSQL, for a database that has none (the embedded one): reclaims
   * the rows updates and purges left dead, and gives the planner its statistics. True when it ran.
   */
  vacuum(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; without it the embedded PGlite database is used. */
  url?: string;
  /** PGlite data directory, or "memory://" for a throw-away database. */
  dataDir: string;
  poolSize: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolSize) : openPglite(options.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let migration: MigrateResult;
  try {
    migration = await applyMigrations({
      query: async (sql, params) => (await client.query(sql, params)).rows,
      exec: async (script) => {
        await client.query(script);
      },
    });
  } finally {
    await client.end();
  }
  // Connections stay open when idle (pg closes them after 10 s by default): the morning's first claim
  // rush would otherwise open them all again, and each new server process plans every statement and
  // loads every trigger afresh (a claim's write measured 13 ms on new connections, 4.1 on kept ones).
  const pool = new pg.Pool({ connectionString: url, max: poolSize, idleTimeoutMillis: 0 });
  // An idle connection the server drops is replaced at the next query; its error must not end the process.
  pool.on('error', () => undefined);
  // The ORM's statements and ours are prepared alike (see StatementNames).
  const names = new StatementNames();
  const prisma = new PrismaClient({
    // An empty name is pg's unnamed statement: parsed and planned again each time.
    adapter: new PrismaPg(pool, { statementNameGenerator: (query) => names.of(query.sql) ?? '' }),
  });
  const common = withCommon('postgres', prisma, poolSql(pool, names), migration);
  return {
    ...common,
    transaction: poolTransaction(pool, names),
    close: async () => {
      await common.close();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  if (dataDir.startsWith('memory://')) return openPgliteIn(dataDir, null);
  mkdirSync(dataDir, { recursive: true });
  const lock = acquireEmbeddedLock(dataDir);
  try {
    return await openPgliteIn(dataDir, lock);
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function openPgliteIn(dataDir: string, lock: EmbeddedLock | null): Promise<Database> {
  const db = await PGlite.create(dataDir);
  const conn: MigrationConnection = {
    query: async <T>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows,
    exec: async (script) => {
      await db.exec(script);
    },
  };
  const migration = await applyMigrations(conn);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const common = withCommon('pglite', prisma, pgliteSql(db), migration);
  return {
    ...common,
    vacuum: async () => {
      // PGlite runs one statement at a time: the app's own statements wait for it.
      await db.exec('VACUUM (ANALYZE)');
      return true;
    },
    close: async () => {
      await common.close();
      await db.close();
      lock?.release();
    },
  };
}

function withCommon(kind: Database['kind'], prisma: PrismaClient, sql: SqlRunner, migration: MigrateResult): Database {
  return {
    kind,
    prisma,
    sql,
    migration,
    ping: async () => {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return true;
      } catch {
        return false;
      }
    },
    unready: async () => {
      try {
        const rows = await prisma.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
        const applied = new Set(rows.map((r) => r.migration_name));
        const missing = readMigrations().filter((m) => !applied.has(m.name));
        return missing.length > 0 ? [`database: ${missing.length} migration(s) not applied`] : [];
      } catch {
        return ['database: not reachable'];
      }
    },
    // PostgreSQL's autovacuum does it.
    vacuum: async () => false,
    close: () => prisma.$disconnect(),
  };
}
