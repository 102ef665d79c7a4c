import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const yaml = (extra = '') => `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 3, holdingCap: 2, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: A, slack: UA }
      - { name: B, slack: UB }
${extra}`;

let testDb: TestDatabase;
let db: Database;
const clock = new ManualClock('2026-03-02T15:00:00Z'); // 23:00 in Shanghai
const config = parseTeamsConfig(yaml('      - { name: C, slack: UC, active: false }\n'), 'test');

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 10 });
  await syncTeams(db.prisma, config, clock.now());
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('team sync on PostgreSQL', () => {
  it('marks members removed from the config inactive, keeping their rows', async () => {
    const smaller = parseTeamsConfig(yaml(), 'test');
    const result = await syncTeams(
      db.prisma,
      { ...smaller, members: smaller.members.filter((m) => m.ids.slack !== 'UB') },
      clock.now(),
    );
    expect(result.deactivated).toBe(1); // UB; UC was already inactive
    const ub = await db.prisma.member.findFirstOrThrow({
      where: { identities: { some: { messenger: 'slack', externalId: 'UB' } } },
    });
    expect(ub.active).toBe(false);
    await syncTeams(db.prisma, config, clock.now());
  });
});
