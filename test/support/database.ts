import { inject } from 'vitest';
import { createDatabase, type ScratchDatabase } from './postgres-server.js';

export type TestDatabase = ScratchDatabase;

/** A fresh, empty database on the suite's PostgreSQL server; one per test file keeps files independent. */
export function createTestDatabase(): Promise<TestDatabase> {
  return createDatabase(inject('adminDatabaseUrl'));
}
