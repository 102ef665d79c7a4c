import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const config = parseTeamsConfig(
  `teams:
  - id: a
    name: A
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10000, cooldown: 2h }
    sla: { followUp: 4h, remindBefore: 1h }
    members:
      - { name: Rep A, slack: URA }
      - { name: Boss A, slack: UBA, role: manager }
  - id: b
    name: B
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10000, cooldown: 30m }
    sla: { followUp: 4h, remindBefore: 1h }
    members:
      - { name: Rep B, slack: URB }
`,
  'sweep',
);
const PER_KIND = 300;
const now = new Date('2026-11-30T10:00:00Z');
let testDb: TestDatabase;
const dbs: Database[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  for (let i = 0; i < 3; i++) dbs.push(await openDatabase({ url: testDb.url, dataDir: '', poolSize: 4 }));
  const [first] = dbs as [Database];
  await syncTeams(first.prisma, config, now);
  // PER_KIND leads inside their reminder hour, PER_KIND past their deadline, and others not due.
  await first.prisma.$executeRaw`
    INSERT INTO lead (team_id, status, stage, name, owner_id, owned_since, first_owned_at, follow_up_due_at, remind_at,
                      reminder_sent_at, created_at, updated_at, fingerprint)
    SELECT t.team, 'owned', 'contacted', 'Lead ' || g, m.id, ${now}::timestamptz - interval '5 hours', ${now}::timestamptz - interval '5 hours',
           CASE WHEN g <= ${PER_KIND} THEN ${now}::timestamptz + interval '30 minutes'
                WHEN g <= ${2 * PER_KIND} THEN ${now}::timestamptz - interval '5 minutes'
                ELSE ${now}::timestamptz + interval '3 hours' END,
           CASE WHEN g <= ${PER_KIND} THEN ${now}::timestamptz - interval '30 minutes'
                WHEN g <= ${2 * PER_KIND} THEN ${now}::timestamptz - interval '65 minutes'
                ELSE ${now}::timestamptz + interval '2 hours' END,
           CASE WHEN g > ${PER_KIND} AND g <= ${2 * PER_KIND} THEN ${now}::timestamptz - interval '65 minutes' END,
           ${now}::timestamptz - interval '6 hours', ${now}, md5(g::text)
      FROM generate_series(1, ${3 * PER_KIND}) g
      CROSS JOIN LATERAL (SELECT CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END AS team) t
      JOIN member m ON m.team_id = t.team AND m.role = 'rep'`;
  // Reclaimed at the deadline itself: these teams give no grace.
  await first.prisma.$executeRaw`UPDATE lead SET reclaim_at = follow_up_due_at`;
});

afterAll(async () => {
  for (const db of dbs) await db.close();
  await testDb?.drop();
});

describe('the SLA sweep on three instances at once', () => {
  it('reminds and reclaims every due lead exactly once between them, each with its cooldown and messages', async () => {
    const teams = teamDirectory(config.teams);
    const sweep = (db: Database) =>
      runSlaSweep({ store: new PrismaLeadStore(db.prisma), teams, clock: new ManualClock(now) }, 40);
    const summaries = await Promise.all([...dbs.map(sweep), ...dbs.map(sweep)]);
    const total = (key: 'reminded' | 'reclaimed' | 'failed') => summaries.reduce((n, s) => n + s[key], 0);
    expect(total('reminded')).toBe(PER_KIND);
    expect(total('reclaimed')).toBe(PER_KIND);
    expect(total('failed')).toBe(0);
    // More than one instance did some of the work: they shared it rather than queueing behind each other.
    expect(summaries.filter((s) => s.reminded + s.reclaimed > 0).length).toBeGreaterThan(1);

    const prisma = (dbs[0] as Database).prisma;
    const events = await prisma.leadEvent.groupBy({ by: ['leadId'], where: { action: 'reclaimed' }, _count: true });
    expect(events).toHaveLength(PER_KIND);
    expect(events.every((e) => e._count === 1)).toBe(true);
    expect(await prisma.lead.count({ where: { status: 'pooled' } })).toBe(PER_KIND);
    expect(await prisma.lead.count({ where: { reminderSentAt: now } })).toBe(PER_KIND);
    // Each reclaimed owner is barred for their own team's cooldown.
    const bans = await prisma.claimBan.findMany({ include: { lead: { select: { teamId: true } } } });
    expect(bans).toHaveLength(PER_KIND);
    for (const ban of bans)
      expect(ban.until.getTime() - now.getTime()).toBe(ban.lead.teamId === 'a' ? 2 * 3_600_000 : 30 * 60_000);
    const dms = await prisma.outboxMessage.findMany({
      where: { kind: 'member.dm', sink: 'slack' },
      select: { payload: true },
    });
    const topics = dms.map((d) => (d.payload as { topic: string }).topic);
    expect(topics.filter((t) => t === 'dm.sla_reminder')).toHaveLength(PER_KIND);
    expect(topics.filter((t) => t === 'dm.sla_reclaimed_owner')).toHaveLength(PER_KIND);
    // Team A has a manager, team B none: half of the reclaims tell a manager.
    expect(topics.filter((t) => t === 'dm.sla_reclaimed_manager')).toHaveLength(PER_KIND / 2);
    expect(await prisma.outboxMessage.count({ where: { kind: 'lead.card', sink: 'slack' } })).toBe(PER_KIND);

    // A second round finds nothing left to do.
    const again = await Promise.all(dbs.map(sweep));
    expect(again.every((s) => s.reminded === 0 && s.reclaimed === 0)).toBe(true);
  });
});
