import { afterAll, beforeAll } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { FakeLark } from './fake-lark.js';
import { startTestLeadpool, teamsYaml } from './leadpool.js';

export interface LarkSuite {
  db: TestDatabase;
  fake: FakeLark;
  app: Leadpool;
  /** Every line the app logged, as JSON text. */
  logLines: string[];
}

/**
 * A test file's own database, a fake Lark open API and Leadpool with Lark on against both, set up
 * before the file's tests and torn down after. Read the fields inside tests, not at load time.
 */
export function useLarkSuite(
  o: { teams?: string; transport?: 'http' | 'long_connection'; clock?: Clock } = {},
): LarkSuite {
  const suite = { logLines: [] as string[] } as LarkSuite;
  beforeAll(async () => {
    suite.db = await createTestDatabase();
    suite.fake = new FakeLark();
    await suite.fake.start();
    suite.app = await startTestLeadpool({
      databaseUrl: suite.db.url,
      lark: { url: suite.fake.url, transport: o.transport ?? 'http' },
      clock: o.clock,
      teams: o.teams ?? teamsYaml({ lark: true }),
      logLines: suite.logLines,
    });
    if (o.transport === 'long_connection') {
      await suite.fake.waitFor(() => suite.fake.connected, 'the long connection');
      // Connected is not ready: a frame pushed before the SDK says so can be lost.
      await suite.fake.waitFor(
        () => suite.logLines.some((l) => l.includes('Lark long connection is up')),
        'the long connection to be ready',
      );
    }
  });
  afterAll(async () => {
    await suite.app?.stop();
    await suite.fake?.stop();
    await suite.db?.drop();
  });
  return suite;
}
