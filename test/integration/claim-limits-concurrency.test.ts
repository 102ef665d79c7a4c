import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import type { JudgedClaim } from '../../src/domain/claims/claim-store.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestLead } from '../support/fixtures.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const REPS = 50;
const LEADS = 100;
const rep = (team: string, i: number) => `U${team.toUpperCase()}${String(i).padStart(4, '0')}`;
const override = (i: number) => (i < 10 ? ', dailyQuota: 1' : i < 20 ? ', holdingCap: 2' : '');
const members = (team: string) =>
  Array.from({ length: REPS }, (_, i) => `      - { name: Rep ${i}, slack: ${rep(team, i)}${override(i)} }`).join('\n');
// `mix` caps its day (claims there run in their transaction); `free` does not (claims are judged on a read).
const config = parseTeamsConfig(
  `teams:
  - id: mix
    name: Mixed limits
    timezone: Asia/Shanghai
    claim: { dailyQuota: 3, holdingCap: 5, cooldown: 1h, teamDaily: 50 }
    sla: { followUp: 1d }
    cardBurst: off
    pools:
      - { id: a, match: { region: [A] }, dailyLimit: 20 }
      - { id: rest }
    members:
${members('mix')}
  - id: free
    name: Rep limits only
    timezone: America/New_York
    claim: { dailyQuota: 3, holdingCap: 5, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
${members('free')}
`,
  'limits',
);
const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'));
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);

/** Every rep clicks ten random leads of the team, all at once; the writes judged on a read are counted. */
async function contend(team: string) {
  const written = { judged: 0, changed: 0 };
  const store = Object.create(ctx.store) as typeof ctx.store;
  store.claimIfUnchanged = async (claim: JudgedClaim) => {
    const card = await ctx.store.claimIfUnchanged(claim);
    written[card ? 'judged' : 'changed']++;
    return card;
  };
  const deps = { store, teams, clock };
  const ids: number[] = [];
  for (let i = 0; i < LEADS; i++)
    ids.push(await createTestLead(deps, { team, name: `Lead ${i}`, region: i % 2 === 0 ? 'A' : 'B' }));
  let seed = 5;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const attempts = Array.from({ length: REPS }, (_, r) =>
    Array.from({ length: 10 }, () => ({ r, leadId: ids[Math.floor(random() * LEADS)] as number })),
  ).flat();
  const outcomes = await Promise.all(
    attempts.map(({ r, leadId }) =>
      claimLead(deps, { leadId, actor: slack(rep(team, r)) }).then(
        () => 'claimed',
        (error: { code?: string }) => error.code ?? 'error',
      ),
    ),
  );
  const refusals = new Set(outcomes.filter((o) => o !== 'claimed'));
  const won = outcomes.filter((o) => o === 'claimed').length;
  console.log(
    `${team}: claims ${won}; refusals: ${[...refusals].join(', ')}; written on a read ${written.judged}, changed under it ${written.changed}`,
  );
  expect(refusals.has('error')).toBe(false);

  const prisma = ctx.db.prisma;
  const claims = await prisma.leadEvent.findMany({ where: { action: 'claimed', teamId: team } });
  expect(claims.length).toBe(won);
  expect(new Set(claims.map((c) => c.leadId)).size).toBe(claims.length); // one owner per lead
  const leads = await prisma.lead.findMany({ where: { id: { in: ids } } });
  for (const m of await prisma.member.findMany({ where: { teamId: team } })) {
    const i = Number(m.displayName.replace('Rep ', ''));
    const mine = claims.filter((c) => c.toOwnerId === m.id).length;
    expect(mine, m.displayName).toBeLessThanOrEqual(i < 10 ? 1 : i < 20 ? 2 : 3);
    const held = leads.filter((l) => l.ownerId === m.id).length;
    expect(held).toBe(mine);
  }
  // Each claimed lead has its card posted at intake and edited at the claim, and one claim DM.
  const queued = await prisma.outboxMessage.findMany({
    where: { sink: 'slack', kind: { in: ['lead.card', 'member.dm'] } },
  });
  for (const c of claims) {
    const about = queued.filter((q) => (q.payload as { leadId?: number }).leadId === c.leadId);
    expect(about.map((q) => q.kind).sort(), `lead ${c.leadId}`).toEqual(['lead.card', 'lead.card', 'member.dm']);
  }
  return { refusals, claims, leads, written };
}

describe('claims under contention with mixed limits (PostgreSQL)', () => {
  it('50 reps × 100 leads at once: no limit is ever exceeded and no lead has two owners', async () => {
    const { refusals, claims, leads } = await contend('mix');
    // Every kind of limit was reached somewhere, so each was really tested.
    for (const code of ['claim.team_daily', 'claim.pool_daily', 'claim.daily_quota', 'lead.already_claimed'])
      expect(refusals, code).toContain(code);
    expect(claims.length).toBeLessThanOrEqual(50); // the team cap
    const inA = new Set(leads.filter((l) => l.poolId === 'a').map((l) => l.id));
    expect(claims.filter((c) => inA.has(c.leadId)).length).toBeLessThanOrEqual(20); // the pool's cap
  }, 60_000);

  it('claims judged on a read keep every rep limit too, and one owner per lead', async () => {
    const { refusals, written } = await contend('free');
    for (const code of ['claim.daily_quota', 'claim.holding_cap', 'lead.already_claimed'])
      expect(refusals, code).toContain(code);
    // Both paths ran: most claims were written as judged, and some found the lead or the rep changed.
    expect(written.judged).toBeGreaterThan(0);
    expect(written.changed).toBeGreaterThan(0);
  }, 60_000);
});
