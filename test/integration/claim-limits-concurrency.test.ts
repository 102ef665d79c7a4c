import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestLead } from '../support/fixtures.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const REPS = 50;
const LEADS = 100;
const rep = (i: number) => `U${String(i).padStart(4, '0')}`;
const override = (i: number) => (i < 10 ? ', dailyQuota: 1' : i < 20 ? ', holdingCap: 2' : '');
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
${Array.from({ length: REPS }, (_, i) => `      - { name: Rep ${i}, slack: ${rep(i)}${override(i)} }`).join('\n')}
`,
  'limits',
);
const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'));
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });

describe('claims under contention with mixed limits (PostgreSQL)', () => {
  it('50 reps × 100 leads at once: no limit is ever exceeded and no lead has two owners', async () => {
    const ids: number[] = [];
    for (let i = 0; i < LEADS; i++)
      ids.push(await createTestLead(deps(), { team: 'mix', name: `Lead ${i}`, region: i % 2 === 0 ? 'A' : 'B' }));
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
        claimLead(deps(), { leadId, actor: slack(rep(r)) }).then(
          () => 'claimed',
          (error: { code?: string }) => error.code ?? 'error',
        ),
      ),
    );
    const refusals = new Set(outcomes.filter((o) => o !== 'claimed'));
    console.log(`claims: ${outcomes.filter((o) => o === 'claimed').length}; refusals: ${[...refusals].join(', ')}`);
    expect(refusals.has('error')).toBe(false);
    // Every kind of limit was reached somewhere, so each was really tested.
    for (const code of ['claim.team_daily', 'claim.pool_daily', 'claim.daily_quota', 'lead.already_claimed'])
      expect(refusals, code).toContain(code);

    const prisma = ctx.db.prisma;
    const claims = await prisma.leadEvent.findMany({ where: { action: 'claimed' } });
    expect(claims.length).toBe(outcomes.filter((o) => o === 'claimed').length);
    expect(claims.length).toBeLessThanOrEqual(50); // the team cap
    expect(new Set(claims.map((c) => c.leadId)).size).toBe(claims.length); // one owner per lead
    const leads = await prisma.lead.findMany({ where: { id: { in: ids } } });
    const inA = new Set(leads.filter((l) => l.poolId === 'a').map((l) => l.id));
    expect(claims.filter((c) => inA.has(c.leadId)).length).toBeLessThanOrEqual(20); // the pool's cap
    const members = await prisma.member.findMany({ where: { teamId: 'mix' } });
    for (const m of members) {
      const i = Number(m.displayName.replace('Rep ', ''));
      const mine = claims.filter((c) => c.toOwnerId === m.id).length;
      expect(mine, m.displayName).toBeLessThanOrEqual(i < 10 ? 1 : i < 20 ? 2 : 3);
      const held = leads.filter((l) => l.ownerId === m.id).length;
      expect(held).toBe(mine);
    }
  }, 60_000);
});
