import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { assignFromPools } from '../../src/domain/distribution/assign-from-pool.js';
import { explainLead } from '../../src/domain/distribution/explain-lead.js';
import { moveToPool } from '../../src/domain/distribution/move-to-pool.js';
import { intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { pauseMember, resumeMember } from '../../src/domain/members/availability.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { presentExplanation } from '../../src/messengers/shared/presenters/why.presenter.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: p
    name: Pools
    timezone: UTC
    claim: { dailyQuota: 1000, holdingCap: 1000, cooldown: 1d }
    sla: { followUp: 1h }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
      - { name: Cy, slack: UCY }
      - { name: Di, slack: UDI }
      - { name: Mo, slack: UMO, role: manager }
    pools:
      - { id: east, name: East, match: { region: [East] }, mode: round_robin, members: [Ann, Bo, Cy] }
      - { id: vip, match: { region: [VIP] }, members: [Di] }
      - { id: hot, match: { region: [Hot] }, firstTo: { members: [Di], grades: [poor, medium, good], for: 10m } }
      - { id: prime, match: { region: [Prime] }, mode: round_robin, members: [Ann, Bo, Cy], firstTo: { members: [Cy], grades: [poor, medium, good], for: 10m } }
      - { id: rest }
  - id: wh
    name: Office hours
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    cardBurst: off
    workingHours: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
    members:
      - { name: Eve, slack: UEVE }
    pools:
      - { id: all, mode: round_robin }
`,
  'pools',
);
const start = new Date('2026-11-23T08:00:00Z');
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });

let n = 0;
async function intake(region: string, count: number, assign = true): Promise<number[]> {
  const leads = Array.from({ length: count }, () => {
    const checked = validateLead({ team: 'p', name: `Person ${++n}`, region }, teams, sourceCatalog());
    if (!checked.ok) throw new Error('invalid');
    return checked.lead;
  });
  const assignFromPoolsNow = async (ids: readonly number[]) => void (await assignFromPools(deps(), ids));
  const result = await intakeLeads(
    { ...deps(), ...(assign ? { assignFromPools: assignFromPoolsNow } : {}) },
    leads,
    'api',
  );
  if (result.kind !== 'done') throw new Error(result.kind);
  return result.outcomes.map((o) => (o.kind === 'created' ? o.leadId : 0));
}

const owners = async (ids: number[]) => {
  const rows = await ctx.db.prisma.lead.findMany({ where: { id: { in: ids } }, include: { owner: true } });
  return rows.map((r) => r.owner?.displayName ?? null);
};
const tally = (names: (string | null)[]) => {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name ?? '-'] = (counts[name ?? '-'] ?? 0) + 1;
  return counts;
};

describe('system assignment from pools', () => {
  it('routes leads by rule and gives a round-robin pool’s leads out in turns, each with its reason, DM and card', async () => {
    const east = await intake('East', 30);
    const other = await intake('West', 2);
    expect(tally(await owners(east))).toEqual({ Ann: 10, Bo: 10, Cy: 10 });
    expect(await owners(other)).toEqual([null, null]); // the claim pool: they wait for a claim
    const rows = await ctx.db.prisma.lead.findMany({
      where: { id: { in: [...east, ...other] } },
      orderBy: { id: 'asc' },
    });
    expect(new Set(rows.map((r) => r.poolId))).toEqual(new Set(['east', 'rest']));
    const events = await ctx.db.prisma.leadEvent.findMany({ where: { leadId: { in: east }, action: 'assigned' } });
    expect(events).toHaveLength(30);
    expect(new Set(events.map((e) => e.reason))).toEqual(new Set(['pool:east round_robin']));
    const dms = await ctx.db.prisma.outboxMessage.findMany({ where: { sink: 'slack', kind: 'member.dm' } });
    expect(dms.filter((m) => (m.payload as { topic: string }).topic === 'dm.pool_assigned')).toHaveLength(30);
    const cards = await ctx.db.prisma.outboxMessage.count({ where: { sink: 'slack', kind: 'lead.card' } });
    expect(cards).toBeGreaterThanOrEqual(32);
  });

  it('gives a paused member none, and a claim pool with members lets only them claim', async () => {
    await pauseMember(deps(), { actor: slack('UBO') });
    const east = await intake('East', 12);
    expect(tally(await owners(east))).toEqual({ Ann: 6, Cy: 6 });
    await resumeMember(deps(), { actor: slack('UBO') });
    // Bo is back 6 behind: a catch-up of 2 extra, not 6.
    const after = await intake('East', 9);
    expect(tally(await owners(after)).Bo).toBeLessThanOrEqual(3 + 2);

    const [vip] = await intake('VIP', 1);
    await expect(claimLead(deps(), { leadId: vip as number, actor: slack('UANN') })).rejects.toMatchObject({
      code: 'claim.not_in_pool',
      params: { pool: 'vip' },
    });
    await expect(claimLead(deps(), { leadId: vip as number, actor: slack('UDI') })).resolves.toMatchObject({});
  });

  it('explains where a lead is and why: its pool (the rule for managers), how its owner got it, and who may claim', async () => {
    const [east] = await intake('East', 1);
    const [vip] = await intake('VIP', 1);
    const why = async (who: string, leadId: number, locale: 'en' | 'zh-CN' = 'en') =>
      presentExplanation(
        await explainLead({ ...deps(), leads: new PrismaLeadReadModel(ctx.db.prisma) }, { leadId, actor: slack(who) }),
        locale,
        'UTC',
      );
    const owner = (await owners([east as number]))[0];
    const asManager = await why('UMO', east as number);
    expect(asManager).toContain(`Pool: East (round robin); it takes leads with region: East.`);
    expect(asManager).toMatch(new RegExp(`The pool gave it to ${owner} \\(.+\\): it was their turn\\.`));
    const asRep = await why('UDI', vip as number);
    expect(asRep).toContain('Pool: vip (reps claim its leads).');
    expect(asRep).not.toContain('it takes leads with');
    expect(asRep).toContain('It is in the pool and nobody has taken it yet.');
    expect(asRep).toContain('You may claim it.');
    expect(await why('UANN', vip as number)).toContain(
      'You may not claim it now: This lead is in the vip pool, and you are not one of its members.',
    );
    await pauseMember(deps(), { actor: slack('UDI'), until: 'in 2h' });
    expect(await why('UDI', vip as number, 'zh-CN')).toMatch(/你现在不能领取它：你已暂停至 .+/);
    await resumeMember(deps(), { actor: slack('UDI') });
  });

  it('gives the first tier a fair first look: only they may claim, or get, such leads for the window', async () => {
    const [hot, later] = await intake('Hot', 2);
    const created = (await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id: hot as number } })).createdAt;
    await expect(claimLead(deps(), { leadId: hot as number, actor: slack('UANN') })).rejects.toMatchObject({
      code: 'claim.first_look',
      params: { until: new Date(created.getTime() + 10 * 60_000) },
    });
    await expect(claimLead(deps(), { leadId: hot as number, actor: slack('UDI') })).resolves.toMatchObject({});
    const prime = await intake('Prime', 4);
    expect(tally(await owners(prime))).toEqual({ Cy: 4 });
    // After the window, everyone: a claim by Ann, and the round robin takes turns again.
    clock.set(new Date(clock.now().getTime() + 11 * 60_000));
    await expect(claimLead(deps(), { leadId: later as number, actor: slack('UANN') })).resolves.toMatchObject({});
    const after = await intake('Prime', 3);
    const created2 = (await ctx.db.prisma.lead.findMany({ where: { id: { in: after } } })).map((l) => l.createdAt);
    expect(created2.every((c) => c.getTime() === clock.now().getTime())).toBe(true);
    // New leads are in their window again: Cy gets them; the ones from before are open to all.
    expect(tally(await owners(after))).toEqual({ Cy: 3 });
  });

  it('lets a manager move a lead to another pool, which gives it out if it assigns; refuses reps and unknown pools', async () => {
    const [west] = await intake('West', 1);
    const leadId = west as number;
    const assignNow = async (ids: readonly number[]) => void (await assignFromPools(deps(), ids));
    await expect(moveToPool(deps(), { leadId, actor: slack('UANN') }, 'east')).rejects.toMatchObject({
      code: 'access.managers_only',
    });
    await expect(moveToPool(deps(), { leadId, actor: slack('UMO') }, 'north')).rejects.toMatchObject({
      code: 'pool.unknown',
      params: { pool: 'north', pools: 'East, vip, hot, prime, rest' },
    });
    await expect(moveToPool(deps(), { leadId, actor: slack('UMO') }, 'rest')).rejects.toMatchObject({
      code: 'pool.already',
    });
    const moved = await moveToPool({ ...deps(), assignFromPools: assignNow }, { leadId, actor: slack('UMO') }, 'East');
    expect(moved.pool.id).toBe('east');
    const lead = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { owner: true } });
    expect(lead.poolId).toBe('east');
    expect(['Ann', 'Bo', 'Cy']).toContain(lead.owner?.displayName);
    const audit = await ctx.db.prisma.leadEvent.findMany({ where: { leadId }, orderBy: { id: 'asc' } });
    expect(audit.map((e) => `${e.action}:${e.reason}`)).toEqual([
      'created:api',
      'pool_moved:rest>east',
      'assigned:pool:east round_robin',
    ]);
  });

  it('two instances assigning the same waiting leads at once give each lead to one rep, and keep the turns fair', async () => {
    const waiting = await intake('East', 120, false);
    expect(await owners(waiting)).toEqual(Array(120).fill(null));
    const before = await ctx.db.prisma.poolShare.findMany({ where: { poolId: 'east' } });
    const second = await openDatabase({ url: ctx.scratch.url, dataDir: '', poolSize: 5 });
    try {
      const other = { store: new PrismaLeadStore(second.prisma), teams, clock };
      const results = await Promise.all([
        assignFromPools(deps(), waiting),
        assignFromPools(other, [...waiting].reverse()),
        assignFromPools(
          deps(),
          waiting.filter((_, i) => i % 2 === 0),
        ),
      ]);
      const given = results.flat().filter((r) => r.assigned);
      expect(given).toHaveLength(120);
      expect(new Set(given.map((r) => r.leadId)).size).toBe(120);
    } finally {
      await second.close();
    }
    const events = await ctx.db.prisma.leadEvent.groupBy({
      by: ['leadId'],
      where: { leadId: { in: waiting }, action: 'assigned' },
      _count: true,
    });
    expect(events.every((e) => e._count === 1)).toBe(true);
    const after = await ctx.db.prisma.poolShare.findMany({ where: { poolId: 'east' } });
    const gained = after.map((s) => s.assigned - (before.find((b) => b.memberId === s.memberId)?.assigned ?? 0));
    expect(gained.reduce((a, b) => a + b, 0)).toBe(120);
    expect(Math.max(...gained) - Math.min(...gained)).toBeLessThanOrEqual(1);
  });

  it('the sweep gives reclaimed leads to someone else in their pool, never the owner they were taken from', async () => {
    await intake('East', 3);
    const owned = await ctx.db.prisma.lead.findMany({
      where: { status: 'owned' },
      select: { id: true, poolId: true, ownerId: true },
    });
    const inEast = owned.filter((l) => l.poolId === 'east' || l.poolId === 'prime'); // the round-robin pools
    clock.set(new Date(clock.now().getTime() + 2 * 3_600_000)); // past every 1 h deadline
    const summary = await runSlaSweep(deps());
    // Every lead is reclaimed; the round-robin pool's are given out again, the claim pool's wait for a claim.
    expect(summary).toMatchObject({ reclaimed: owned.length, assigned: inEast.length, failed: 0 });
    const now = await ctx.db.prisma.lead.findMany({ where: { id: { in: inEast.map((l) => l.id) } } });
    for (const lead of now) {
      expect(lead.status).toBe('owned');
      expect(lead.ownerId).not.toBe(inEast.find((l) => l.id === lead.id)?.ownerId);
    }
    expect(await runSlaSweep(deps())).toMatchObject({ assigned: 0, reclaimed: 0 });
  });

  it('gives nobody a lead outside the team’s working hours; the sweep gives it out when work starts', async () => {
    clock.set(new Date('2026-11-28T10:00:00Z')); // a Saturday
    const checked = validateLead({ team: 'wh', name: 'Weekend Lead' }, teams, sourceCatalog());
    if (!checked.ok) throw new Error('invalid');
    const result = await intakeLeads(deps(), [checked.lead], 'api');
    const leadId = result.kind === 'done' && result.outcomes[0]?.kind === 'created' ? result.outcomes[0].leadId : 0;
    expect(await assignFromPools(deps(), [leadId])).toEqual([{ leadId, assigned: false, reason: 'off_hours' }]);
    await runSlaSweep(deps()); // (other teams' leads are due again by now; this one waits)
    expect((await owners([leadId]))[0]).toBeNull();
    clock.set(new Date('2026-11-30T09:05:00Z')); // Monday, work has started
    await runSlaSweep(deps());
    expect((await owners([leadId]))[0]).toBe('Eve');
  });
});
