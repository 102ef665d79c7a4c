import { afterAll, beforeAll } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { startTestLeadpool, type TestLeadpoolOptions } from './leadpool.js';

export interface AppSuite {
  app: Leadpool;
  db: TestDatabase;
}

/** A fresh database and the app on it (no messenger unless the options say), for one test file. */
export function useAppSuite(options: Omit<TestLeadpoolOptions, 'databaseUrl'> = {}): AppSuite {
  const suite = {} as AppSuite;
  beforeAll(async () => {
    suite.db = await createTestDatabase();
    suite.app = await startTestLeadpool({ databaseUrl: suite.db.url, poolSize: 5, ...options });
  });
  afterAll(async () => {
    await suite.app?.stop();
    await suite.db?.drop();
  });
  return suite;
}
