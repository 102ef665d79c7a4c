/**
 * The score-tier and ranking modes on PostgreSQL: a tier's leads go in turns to its members and
 * hand over when the tier is busy; a ranking pool reads conversions and follow-ups in its window
 * and shares leads by band.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { assignFromPools } from '../../src/domain/distribution/assign-from-pool.js';
import { intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: m
    name: Modes
    timezone: UTC
    claim: { dailyQuota: 1000, holdingCap: 1000, cooldown: 1d }
    sla: { followUp: 1h }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN, senior: true }
      - { name: Bo, slack: UBO }
      - { name: Cy, slack: UCY }
      - { name: Di, slack: UDI, senior: true }
    pools:
      - { id: tier, match: { region: [Tier] }, mode: score_tier, topTier: { priorities: [low] } }
      - { id: rank, match: { region: [Rank] }, mode: ranking, members: [Ann, Bo, Cy], ranking: { window: 7d, shares: [3, 2, 1] } }
      - { id: rest }
`,
  'modes',
);
const clock = new ManualClock('2026-11-23T08:00:00Z');
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });
let n = 0;

async function intake(region: string, count: number): Promise<number[]> {
  const leads = Array.from({ length: count }, () => {
    const checked = validateLead({ team: 'm', name: `Person ${++n}`, region }, teams, sourceCatalog());
    if (!checked.ok) throw new Error('invalid');
    return checked.lead;
  });
  const result = await intakeLeads(deps(), leads, 'api');
  if (result.kind !== 'done') throw new Error(result.kind);
  const ids = result.outcomes.map((o) => (o.kind === 'created' ? o.leadId : 0));
  await assignFromPools(deps(), ids);
  return ids;
}

const memberId = async (name: string) =>
  (await ctx.db.prisma.member.findFirstOrThrow({ where: { displayName: name } })).id;
const tally = async (ids: number[]) => {
  const rows = await ctx.db.prisma.lead.findMany({ where: { id: { in: ids } }, include: { owner: true } });
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.owner?.displayName ?? '-'] = (counts[r.owner?.displayName ?? '-'] ?? 0) + 1;
  return counts;
};

describe('score tier', () => {
  it('gives top-tier leads in turns to the seniors, and to the others while every senior is paused', async () => {
    const first = await intake('Tier', 10);
    expect(await tally(first)).toEqual({ Ann: 5, Di: 5 });
    await ctx.db.prisma.member.updateMany({
      where: { displayName: { in: ['Ann', 'Di'] } },
      data: { pausedAt: clock.now() },
    });
    const next = await intake('Tier', 4);
    expect(await tally(next)).toEqual({ Bo: 2, Cy: 2 });
    const reasons = await ctx.db.prisma.leadEvent.findMany({ where: { leadId: { in: next }, action: 'assigned' } });
    expect(new Set(reasons.map((r) => r.reason))).toEqual(new Set(['pool:tier score_tier others']));
    await ctx.db.prisma.member.updateMany({ where: { displayName: { in: ['Ann', 'Di'] } }, data: { pausedAt: null } });
  });
});

describe('ranking', () => {
  it('ranks by conversions and follow-ups inside the window and shares 60 leads 3:2:1 by band', async () => {
    const [ann, bo, cy] = [await memberId('Ann'), await memberId('Bo'), await memberId('Cy')];
    const [won1, won2, worked] = await intake('Old', 3);
    const day = 86_400_000;
    for (const id of [won1, won2])
      await ctx.db.prisma.lead.update({
        where: { id },
        data: {
          ownerId: ann,
          status: 'closed',
          stage: 'converted',
          convertedAt: new Date(clock.now().getTime() - day),
        },
      });
    const followUp = (member: string, daysAgo: number) => ({
      leadId: worked ?? 0,
      memberId: member,
      method: 'call',
      note: 'called',
      at: new Date(clock.now().getTime() - daysAgo * day),
    });
    // Bo: 3 follow-ups this week (score 3); Cy: 20, all before the 7-day window (score 0). Ann: 2 conversions (10).
    await ctx.db.prisma.followUp.createMany({ data: [1, 2, 3].map(() => followUp(bo, 1)) });
    await ctx.db.prisma.followUp.createMany({ data: Array.from({ length: 20 }, () => followUp(cy, 10)) });
    const ids = await intake('Rank', 60);
    const got = await tally(ids);
    expect(Math.abs((got.Ann ?? 0) - 30)).toBeLessThanOrEqual(1);
    expect(Math.abs((got.Bo ?? 0) - 20)).toBeLessThanOrEqual(1);
    expect(Math.abs((got.Cy ?? 0) - 10)).toBeLessThanOrEqual(1);
  });
});
