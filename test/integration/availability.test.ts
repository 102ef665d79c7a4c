import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { pauseMember, resumeMember } from '../../src/domain/members/availability.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { refusalOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: east
    name: East
    timezone: Asia/Shanghai
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
      - { name: Mo, slack: UMO, role: manager }
  - id: west
    name: West
    timezone: Asia/Shanghai
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN }
      - { name: Cy, slack: UCY }
      - { name: Wu, slack: UWU, role: manager }
`,
  'availability',
);
const start = new Date('2026-11-23T02:00:00Z'); // Monday 10:00 in Shanghai
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });
const claim = async (who: string, team = 'east') => {
  const leadId = await createTestLead(deps(), { team, name: `Lead for ${who} ${Math.random()}` });
  return claimLead(deps(), { leadId, actor: slack(who) });
};
const refusal = async (work: Promise<unknown>) => {
  const refused = await refusalOf(work);
  return refused && { code: refused.code, params: refused.params };
};

describe('pausing and resuming a rep', () => {
  it('keeps a paused rep from claiming in every team until the pause ends, and lets them resume sooner', async () => {
    const paused = await pauseMember(deps(), { actor: slack('UANN'), until: 'wed 9:00' });
    expect(paused).toMatchObject({ name: 'Ann', self: true, teamNames: ['East', 'West'] });
    expect(paused.until?.toISOString()).toBe('2026-11-25T01:00:00.000Z'); // Wednesday 09:00 in Shanghai
    expect(await refusal(claim('UANN'))).toEqual({ code: 'member.paused', params: { until: paused.until } });
    expect(await refusal(claim('UANN', 'west'))).toMatchObject({ code: 'member.paused' });
    expect(await refusal(claim('UBO'))).toBeNull(); // others go on

    // A restart syncs the teams file again: the pause stays.
    await syncTeams(ctx.db.prisma, config, clock.now());
    expect(await refusal(claim('UANN'))).toMatchObject({ code: 'member.paused' });

    // It ends by itself…
    clock.set(new Date('2026-11-25T01:00:01Z'));
    expect(await refusal(claim('UANN'))).toBeNull();
    // …or with `resume`, and a pause with no end lasts until then.
    await pauseMember(deps(), { actor: slack('UANN') });
    clock.advance(30 * 86_400_000);
    expect(await refusal(claim('UANN'))).toEqual({ code: 'member.paused_open', params: {} });
    await resumeMember(deps(), { actor: slack('UANN') });
    expect(await refusal(claim('UANN'))).toBeNull();
  });

  it('lets a manager pause a rep of their own teams only, and refuses reps and bad times, changing nothing', async () => {
    const byManager = await pauseMember(deps(), { actor: slack('UMO'), who: { name: 'bo' }, until: 'in 2d' });
    expect(byManager).toMatchObject({ name: 'Bo', self: false, teamNames: ['East'] });
    expect(await refusal(claim('UBO'))).toMatchObject({ code: 'member.paused' });
    // Ann is in both teams; East's manager pauses her in East only.
    await pauseMember(deps(), { actor: slack('UMO'), who: { identity: slack('UANN') } });
    expect(await refusal(claim('UANN'))).toMatchObject({ code: 'member.paused_open' });
    expect(await refusal(claim('UANN', 'west'))).toBeNull();
    await resumeMember(deps(), { actor: slack('UMO'), who: { name: 'Ann' } });
    expect(await refusal(claim('UANN'))).toBeNull();

    const before = await ctx.db.prisma.member.findMany({ orderBy: { id: 'asc' } });
    expect(await refusal(pauseMember(deps(), { actor: slack('UBO'), who: { name: 'Ann' } }))).toMatchObject({
      code: 'pause.not_allowed',
    });
    expect(await refusal(pauseMember(deps(), { actor: slack('UMO'), who: { name: 'Cy' } }))).toMatchObject({
      code: 'assign.not_member',
    });
    expect(await refusal(pauseMember(deps(), { actor: slack('UANN'), until: '2026-01-01' }))).toMatchObject({
      code: 'pause.until_past',
    });
    expect(await refusal(pauseMember(deps(), { actor: slack('UANN'), until: 'someday soon' }))).toMatchObject({
      code: 'pause.until_unreadable',
    });
    expect(await refusal(pauseMember(deps(), { actor: slack('UNOBODY') }))).toMatchObject({
      code: 'member.not_in_team',
    });
    expect(await ctx.db.prisma.member.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });
});
