/**
 * `/lead open` on PostgreSQL: a rep is offered exactly the pooled leads a click of theirs would
 * win: not another pool's, not one in its first look for someone else, not one they are barred
 * from after a reclaim.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { listClaimable } from '../../src/domain/claims/claimable.js';
import { intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: c
    name: Claimable
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1d }
    sla: { followUp: 1h }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
    pools:
      - { id: vip, match: { region: [VIP] }, members: [Bo] }
      - { id: hot, match: { region: [Hot] }, firstTo: { members: [Bo], grades: [poor, medium, good], for: 10m } }
      - { id: rest }
`,
  'claimable',
);
const clock = new ManualClock('2026-11-23T08:00:00Z');
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });
let n = 0;

async function intake(region: string): Promise<number> {
  const checked = validateLead({ team: 'c', name: `Person ${++n}`, region }, teams, sourceCatalog());
  if (!checked.ok) throw new Error('invalid');
  const result = await intakeLeads(deps(), [checked.lead], 'api');
  if (result.kind !== 'done' || result.outcomes[0]?.kind !== 'created') throw new Error('not created');
  return result.outcomes[0].leadId;
}

const offered = async (who: string) => (await listClaimable(deps(), slack(who)))[0]?.leads.map((l) => l.id) ?? [];

describe('what a rep may claim now', () => {
  it('offers what a click would win, and nothing else', async () => {
    const vip = await intake('VIP');
    const hot = await intake('Hot');
    const plain = await intake('Anywhere');
    expect(await offered('UANN')).toEqual([plain]);
    expect(await offered('UBO')).toEqual([plain, hot, vip]);

    // After the first look, everyone may take the hot lead.
    clock.advance(11 * 60_000);
    expect(await offered('UANN')).toEqual([plain, hot]);

    // Ann claims the plain lead and misses its deadline: it is reclaimed, and she is barred from it.
    await claimLead(deps(), { leadId: plain, actor: slack('UANN') });
    clock.advance(61 * 60_000);
    await runSlaSweep(deps());
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id: plain } })).status).toBe('pooled');
    expect(await offered('UANN')).toEqual([hot]);
    expect(await offered('UBO')).toEqual([plain, hot, vip]);
    const [ann] = await listClaimable(deps(), slack('UANN'));
    expect(ann).toMatchObject({ teamName: 'Claimable', claimedToday: 1, dailyQuota: 10, paused: null });
  });
});
