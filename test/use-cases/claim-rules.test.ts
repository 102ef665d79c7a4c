import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { refusalOf } from '../support/domain-error.js';
import { memoryWorld } from '../support/memory-world.js';

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

const clock = new ManualClock('2026-03-02T15:00:00Z'); // 23:00 in Shanghai
const config = parseTeamsConfig(yaml('      - { name: C, slack: UC, active: false }\n'), 'test');
const world = memoryWorld(config, clock);
const { store, deps } = world;

let seq = 0;
const lead = async () => world.lead('sh', { name: `L${++seq}` });
const refusal = refusalOf;

describe('claim rules', () => {
  it('enforces the holding cap, and frees a slot when a lead is reclaimed', async () => {
    const [a, b, c] = [await lead(), await lead(), await lead()];
    await claimLead(deps(), { leadId: a, actor: slack('UA') });
    await claimLead(deps(), { leadId: b, actor: slack('UA') });
    const refused = await refusal(claimLead(deps(), { leadId: c, actor: slack('UA') }));
    expect(refused?.code).toBe('claim.holding_cap');
    expect(refused?.params).toMatchObject({ held: 2, cap: 2 });
    expect((await store.findLead(c))?.ownerId).toBeNull();

    clock.advance(61 * 60_000); // both deadlines pass: 00:01 in Shanghai, a new local day
    expect((await runSlaSweep(deps())).reclaimed).toBe(2);
    await claimLead(deps(), { leadId: c, actor: slack('UA') });
    expect((await store.findLead(c))?.status).toBe('owned');
    // Cooldown: A may not take back a lead reclaimed from it.
    expect((await refusal(claimLead(deps(), { leadId: a, actor: slack('UA') })))?.code).toBe('claim.cooldown');
  });

  it('resets the daily quota at midnight in the team time zone, not UTC', async () => {
    const local = memoryWorld(parseTeamsConfig(yaml().replace('holdingCap: 2', 'holdingCap: 50'), 'test'), clock);
    const d = local.deps();
    clock.set('2026-03-05T15:00:00Z'); // 23:00 Shanghai, 5 March
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) ids.push(local.lead('sh', { name: `Q${i}` }));
    for (const id of ids.slice(0, 3)) await claimLead(d, { leadId: id, actor: slack('UB') });
    const refused = await refusal(claimLead(d, { leadId: ids[3] ?? 0, actor: slack('UB') }));
    expect(refused?.code).toBe('claim.daily_quota');
    // It says when the quota resets: the next midnight in Shanghai, 16:00 UTC.
    expect(refused?.params).toEqual({ used: 3, quota: 3, until: new Date('2026-03-05T16:00:00Z') });
    clock.set('2026-03-05T16:00:00Z'); // midnight in Shanghai, still 5 March in UTC
    await claimLead(d, { leadId: ids[3] ?? 0, actor: slack('UB') });
    expect((await local.store.findLead(ids[3] ?? 0))?.status).toBe('owned');
  });

  it('refuses paused members and people outside the team', async () => {
    const id = await lead();
    expect((await refusal(claimLead(deps(), { leadId: id, actor: slack('UC') })))?.code).toBe('member.inactive');
    expect((await refusal(claimLead(deps(), { leadId: id, actor: slack('UZ') })))?.code).toBe('member.not_in_team');
    expect((await refusal(claimLead(deps(), { leadId: 999_999, actor: slack('UA') })))?.code).toBe('lead.not_found');
  });
});
