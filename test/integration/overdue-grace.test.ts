import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestLead } from '../support/fixtures.js';

const config = parseTeamsConfig(
  `teams:
  - id: g
    name: Grace
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m, graceAfterDue: 2h }
    members:
      - { name: Ann, slack: UANN }
      - { name: Mo, slack: UMO, role: manager }
`,
  'grace',
);
const MIN = 60_000;
const start = new Date('2026-11-23T08:00:00Z');
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
let testDb: TestDatabase;
let db: Database;
let store: PrismaLeadStore;
const deps = () => ({ store, teams, clock });
const at = (minutes: number) => clock.set(new Date(start.getTime() + minutes * MIN));
const who = (leadId: number) => ({ leadId, actor: slack('UANN') });

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
  await syncTeams(db.prisma, config, clock.now());
  store = new PrismaLeadStore(db.prisma);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const topicsFor = async (leadId: number) =>
  (await db.prisma.outboxMessage.findMany({ where: { kind: 'member.dm', sink: 'slack' }, orderBy: { id: 'asc' } }))
    .map((m) => m.payload as { leadId: number; topic: string; memberId: string })
    .filter((p) => p.leadId === leadId)
    .map((p) => p.topic);

describe('a grace period after a missed deadline (the escalation ladder)', () => {
  it('reminds before the deadline, tells owner and manager once at it, and reclaims only after the grace', async () => {
    const id = await createTestLead(deps(), { team: 'g', name: 'Ladder Lead' });
    await claimLead(deps(), who(id));
    const claimed = await db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(claimed.reclaimAt?.getTime()).toBe(start.getTime() + 180 * MIN);
    at(55);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 1, reclaimed: 0 });
    at(65);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 1, reclaimed: 0 });
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    at(175);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('owned');
    at(181);
    expect(await runSlaSweep(deps())).toMatchObject({ reclaimed: 1 });
    expect(await topicsFor(id)).toEqual([
      'dm.claim_won',
      'dm.sla_reminder',
      'dm.sla_overdue_owner',
      'dm.sla_overdue_manager',
      'dm.sla_reclaimed_owner',
      'dm.sla_reclaimed_manager',
    ]);
  });

  it('a follow-up during the grace starts a fresh deadline and keeps the lead', async () => {
    at(300);
    const id = await createTestLead(deps(), { team: 'g', name: 'Saved Lead' });
    await claimLead(deps(), who(id));
    at(365);
    await runSlaSweep(deps()); // reminded and escalated
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id } })).escalatedAt).not.toBeNull();
    at(400);
    await logFollowUp(deps(), { ...who(id), method: 'call', note: 'reached at last' });
    const saved = await db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(saved.escalatedAt).toBeNull();
    expect(saved.reclaimAt?.getTime()).toBe(start.getTime() + (400 + 180) * MIN);
    at(485);
    await runSlaSweep(deps());
    expect((await db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('owned');
  });
});
