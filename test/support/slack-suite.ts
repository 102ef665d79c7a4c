import { afterAll, beforeAll } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { FakeSlack } from './fake-slack.js';
import { startTestLeadpool, type TestLeadpoolOptions, teamsYaml } from './leadpool.js';

export interface SlackSuite {
  db: TestDatabase;
  fake: FakeSlack;
  app: Leadpool;
  /** Every line the app logged, as JSON text. */
  logLines: string[];
}

/**
 * A test file's own database, a fake Slack Web API and Leadpool in HTTP mode against both, set up
 * before the file's tests and torn down after. Read the fields inside tests, not at load time.
 */
export function useSlackSuite(
  teams = teamsYaml(),
  /** Anything else the app should start with (a clock, a timeout, the outbox's attempts). */
  options: Omit<TestLeadpoolOptions, 'databaseUrl' | 'slackApiUrl' | 'teams' | 'logLines'> = {},
): SlackSuite {
  const suite = { logLines: [] as string[] } as SlackSuite;
  beforeAll(async () => {
    suite.db = await createTestDatabase();
    suite.fake = new FakeSlack();
    await suite.fake.start();
    suite.app = await startTestLeadpool({
      databaseUrl: suite.db.url,
      slackApiUrl: suite.fake.apiUrl,
      teams,
      logLines: suite.logLines,
      ...options,
    });
  });
  afterAll(async () => {
    await suite.app?.stop();
    await suite.fake?.stop();
    await suite.db?.drop();
  });
  return suite;
}
