import type pg from 'pg';
import { inject } from 'vitest';
import { applyMigrations, readMigrations } from '../../src/infra/db/migrate.js';
import { createDatabase, type ScratchDatabase } from './postgres-server.js';

export type TestDatabase = ScratchDatabase;

/** A fresh, empty database on the suite's PostgreSQL server; one per test file keeps files independent. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(inject('adminDatabaseUrl'));
}

/**
 * Applies the migrations before the one named `…_<name>`; the returned function applies the rest.
 * For testing what a migration does to rows written under the schema before it.
 */
export async function migrateUpTo(client: pg.Client, name: string): Promise<() => Promise<string[]>> {
  const conn = {
    query: async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[],
    exec: async (script: string) => void (await client.query(script)),
  };
  const all = readMigrations();
  const at = all.findIndex((m) => m.name.endsWith(`_${name}`));
  if (at <= 0) throw new Error(`no migration named …_${name} after the first`);
  await applyMigrations(conn, all.slice(0, at));
  return async () => (await applyMigrations(conn, all)).applied;
}
