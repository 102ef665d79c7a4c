/**
 * The same lifecycle scenarios on the in-memory store the unit tests use and on PostgreSQL: if the
 * fake ever drifts from what the SQL does, this fails.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { loadDesk } from '../../src/domain/leads/desk.js';
import { changeStage, closeLead, releaseLead } from '../../src/domain/leads/work-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import type { LeadStore } from '../../src/domain/store.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase } from '../support/database.js';
import { codeOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';
import { MemoryLeadStore } from '../support/memory-store.js';

const config = parseTeamsConfig(
  `teams:
  - id: alpha
    name: Alpha
    timezone: Asia/Shanghai
    claim: { dailyQuota: 5, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 10m, remindBefore: 2m }
    intake: { defaultRegion: CN, currency: CNY }
    members:
      - { name: Ana, slack: UANA }
      - { name: Bo, slack: UBO }
      - { name: Mei, slack: UMEI, role: manager }
`,
  'contract',
);
const teams = teamDirectory(config.teams);

interface World {
  store: LeadStore;
  newLead(name: string, company?: string): Promise<number>;
  /** Every row a use case could write, for "nothing changed" checks. */
  footprint(): Promise<unknown>;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function memoryWorld(): Promise<World> {
  const store = new MemoryLeadStore();
  for (const m of config.members)
    store.addMember({ teamId: m.teamId, name: m.displayName, role: m.role, slack: m.ids.slack as string });
  return {
    store,
    newLead: async (name, company) =>
      store.addLead({ teamId: 'alpha', name, company: company ?? null, companyKey: company?.toLowerCase() ?? null }).id,
    footprint: async () => store.writes,
  };
}

async function postgresWorld(clock: ManualClock): Promise<World> {
  const testDb = await createTestDatabase();
  const db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
  cleanups.push(async () => {
    await db.close();
    await testDb.drop();
  });
  await syncTeams(db.prisma, config, clock.now());
  // As the app builds it: intake's transactions on the driver.
  const store = new PrismaLeadStore(db.prisma, {
    sql: db.sql,
    ...(db.transaction ? { transaction: db.transaction } : {}),
  });
  return {
    store,
    newLead: (name, company) =>
      createTestLead({ store, teams, clock }, { team: 'alpha', name, ...(company ? { company } : {}) }),
    footprint: async () =>
      db.prisma
        .$queryRaw`SELECT (SELECT count(*) FROM lead_event)::int AS e, (SELECT count(*) FROM follow_up)::int AS f,
        (SELECT count(*) FROM outbox_message)::int AS o, (SELECT count(*) FROM deal)::int AS d,
        (SELECT string_agg(id || status || stage || coalesce(owner_id::text, ''), ',' ORDER BY id) FROM lead) AS l`,
  };
}

describe.each([
  ['in memory', memoryWorld],
  ['on PostgreSQL', postgresWorld],
] as const)('the lead lifecycle %s', (_name, makeWorld) => {
  it('claims, follows up, qualifies and converts with the same states, stamps and audit', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const world = await makeWorld(clock);
    const deps = { store: world.store, teams, clock };
    const id = await world.newLead('Contract Lead', 'Contract Co');
    await claimLead(deps, { leadId: id, actor: slack('UANA') });
    clock.advance(60_000);
    await logFollowUp(deps, { leadId: id, actor: slack('UANA'), method: 'call', note: 'hello', next: 'in 5m' });
    const afterLog = await world.store.findLead(id);
    expect(afterLog).toMatchObject({ status: 'owned', stage: 'contacted' });
    expect(afterLog?.followUpDueAt).toEqual(new Date(clock.now().getTime() + 5 * 60_000));
    expect(afterLog?.contactedAt).toEqual(clock.now());
    await changeStage({ ...deps }, { leadId: id, actor: slack('UANA') }, 'qualified');
    const converted = await convertLead(deps, { leadId: id, actor: slack('UANA') }, '300');
    expect(converted.result.customerName).toBe('Contract Co');
    expect(await world.store.findLead(id)).toMatchObject({ status: 'closed', stage: 'converted', followUpDueAt: null });
    const desk = await loadDesk(deps, slack('UANA'), clock.now());
    expect({ open: desk.openCount, claims: desk.quotas[0]?.used }).toEqual({ open: 0, claims: 1 });
  });

  it('refuses the same things with the same reasons, writing nothing', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const world = await makeWorld(clock);
    const deps = { store: world.store, teams, clock };
    const pooled = await world.newLead('Pooled Lead');
    const owned = await world.newLead('Owned Lead');
    await claimLead(deps, { leadId: owned, actor: slack('UANA') });
    const before = await world.footprint();
    const refusals = [
      await codeOf(claimLead(deps, { leadId: owned, actor: slack('UBO') })),
      await codeOf(logFollowUp(deps, { leadId: owned, actor: slack('UBO'), method: 'call', note: 'x' })),
      await codeOf(convertLead(deps, { leadId: pooled, actor: slack('UMEI') })),
      await codeOf(closeLead(deps, { leadId: owned, actor: slack('UANA') }, 'nope')),
      await codeOf(releaseLead(deps, { leadId: pooled, actor: slack('UANA') }, 'why')),
      await codeOf(changeStage(deps, { leadId: owned, actor: slack('UNOBODY') }, 'qualified')),
      await codeOf(claimLead(deps, { leadId: 999_999, actor: slack('UANA') })),
    ];
    expect(refusals).toEqual([
      'lead.already_claimed',
      'access.not_owner',
      'lead.not_owned',
      'close.unknown_reason',
      'lead.not_owned',
      'lead.not_visible',
      'lead.not_found',
    ]);
    expect(await world.footprint()).toEqual(before);
  });

  it('lets exactly one of two racing claims win', async () => {
    const clock = new ManualClock('2026-03-02T01:00:00Z');
    const world = await makeWorld(clock);
    const deps = { store: world.store, teams, clock };
    const id = await world.newLead('Raced Lead');
    const outcomes = await Promise.all([
      codeOf(claimLead(deps, { leadId: id, actor: slack('UANA') })),
      codeOf(claimLead(deps, { leadId: id, actor: slack('UBO') })),
    ]);
    expect(outcomes.sort()).toEqual(['done', 'lead.already_claimed']);
  });
});
