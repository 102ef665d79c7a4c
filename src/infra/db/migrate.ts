import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** The two things the runner needs from a connection: parameterised queries and multi-statement scripts. */
export interface MigrationConnection {
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script as one simple-query string: one implicit transaction, as Prisma does. */
  exec(script: string): Promise<void>;
}

export class MigrationError extends Error {
  constructor(
    readonly code: 'P3005' | 'P3009' | 'P3018' | 'LOCK_TIMEOUT',
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'MigrationError';
  }
}

// Prisma's own advisory lock key, so this runner and `prisma migrate deploy` exclude each other.
const LOCK_KEY = 72707369;
const LOCK_TIMEOUT_MS = 10_000;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                  VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum            VARCHAR(64) NOT NULL,
    finished_at         TIMESTAMPTZ,
    migration_name      VARCHAR(255) NOT NULL,
    logs                TEXT,
    rolled_back_at      TIMESTAMPTZ,
    started_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: sha256(sql) };
    });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function checksumMatches(file: MigrationFile, stored: string): boolean {
  const variants = [file.sql, file.sql.replace(/\r\n/g, '\n'), file.sql.replace(/(?<!\r)\n/g, '\r\n')];
  return variants.some((v) => sha256(v) === stored);
}

async function acquireLock(conn: MigrationConnection): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    const [row] = await conn.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY]);
    if (row?.locked) return;
    if (Date.now() > deadline) {
      throw new MigrationError('LOCK_TIMEOUT', 'another process held the migration lock for 10 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface MigrateResult {
  applied: string[];
  checksumWarnings: string[];
}

/**
 * Applies pending migrations the way `prisma migrate deploy` does on PostgreSQL, writing Prisma's
 * `_prisma_migrations` table, so histories written here and by Prisma's CLI are interchangeable.
 */
export async function applyMigrations(
  conn: MigrationConnection,
  migrations: MigrationFile[] = readMigrations(),
): Promise<MigrateResult> {
  await acquireLock(conn);
  try {
    const [{ exists } = { exists: false }] = await conn.query<{ exists: boolean }>(
      "SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists",
    );
    if (!exists) {
      const [{ count } = { count: 0 }] = await conn.query<{ count: number }>(
        "SELECT count(*)::int AS count FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
      );
      if (count > 0) {
        throw new MigrationError(
          'P3005',
          'the database schema is not empty and has no migration history; baseline it first',
        );
      }
      await conn.exec(CREATE_TABLE);
    }
    const rows = await conn.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
    );
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
    if (failed) {
      throw new MigrationError(
        'P3009',
        `migration ${failed.migration_name} failed earlier; resolve it before deploying`,
      );
    }
    const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]));
    const result: MigrateResult = { applied: [], checksumWarnings: [] };
    for (const migration of migrations) {
      const row = done.get(migration.name);
      if (row) {
        if (!checksumMatches(migration, row.checksum)) result.checksumWarnings.push(migration.name);
        continue;
      }
      await applyOne(conn, migration);
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

async function applyOne(conn: MigrationConnection, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())',
    [id, migration.checksum, migration.name],
  );
  try {
    await conn.exec(migration.sql);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await conn.query('UPDATE _prisma_migrations SET logs = $2 WHERE id = $1', [id, message]);
    throw new MigrationError('P3018', `migration ${migration.name} failed: ${message}`);
  }
  await conn.query('UPDATE _prisma_migrations SET applied_steps_count = applied_steps_count + 1 WHERE id = $1', [id]);
  await conn.query('UPDATE _prisma_migrations SET finished_at = now() WHERE id = $1', [id]);
}
