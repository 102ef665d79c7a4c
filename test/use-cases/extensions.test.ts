import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { answerExtension, requestExtension } from '../../src/domain/sla/extensions.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { codeOf } from '../support/domain-error.js';
import { memoryWorld } from '../support/memory-world.js';

const config = parseTeamsConfig(
  `teams:
  - id: x
    name: Ext
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 30m, extension: { by: 1d, max: 2d } }
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
      - { name: Mo, slack: UMO, role: manager }
`,
  'extensions',
);
const H = 3_600_000;
const start = new Date('2026-11-23T08:00:00Z');
const clock = new ManualClock(start);
const world = memoryWorld(config, clock);
const { deps, row } = world;
const at = (hours: number) => clock.set(new Date(start.getTime() + hours * H));
const dms = async (leadId: number) => world.dms(leadId);

describe('asking for more time, answered in chat', () => {
  it('approve moves the deadline by a day, up to the maximum; deny keeps it; both reach the rep', async () => {
    const id = world.lead('x', { name: 'Needs Time' });
    await claimLead(deps(), { leadId: id, actor: slack('UANN') });
    const ask = (who: string, reason = 'buyer travelling') =>
      requestExtension(deps(), { leadId: id, actor: slack(who), reason });
    const answer = (who: string, approve: boolean) =>
      answerExtension(deps(), { leadId: id, actor: slack(who), approve, note: 'call today' });

    expect(await codeOf(ask('UANN', '  '))).toBe('extension.needs_reason');
    expect(await codeOf(ask('UBO'))).toBe('access.not_owner');
    expect(await codeOf(answer('UMO', true))).toBe('extension.none_pending');
    at(1);
    expect((await ask('UANN')).managers).toBe(1);
    expect(await codeOf(ask('UANN'))).toBe('extension.pending');
    expect(await codeOf(answer('UANN', true))).toBe('access.managers_only');
    expect((await dms(id)).at(-1)).toMatchObject({
      topic: 'dm.extension_requested',
      params: { owner: 'Ann', reason: 'buyer travelling' },
    });

    const approved = await answer('UMO', true);
    expect(approved.dueAt?.getTime()).toBe(start.getTime() + 28 * H);
    const lead = await row(id);
    expect(lead.followUpDueAt?.getTime()).toBe(start.getTime() + 28 * H);
    expect(lead.remindAt?.getTime()).toBe(start.getTime() + 27.5 * H);
    expect((await dms(id)).at(-1)).toMatchObject({ topic: 'dm.extension_approved', params: { by: 'Mo' } });
    expect(world.store.events.filter((e) => e.leadId === id && e.action === 'extended')).toHaveLength(1);
    // The old deadline passes: the sweep leaves the lead alone.
    at(5);
    expect(await runSlaSweep(deps())).toMatchObject({ reclaimed: 0 });

    await ask('UANN', 'still travelling');
    await answer('UMO', true);
    await ask('UANN', 'one more day please');
    // A third day would pass the 2-day maximum.
    expect(await codeOf(answer('UMO', true))).toBe('extension.over_max');
    expect(await answer('UMO', false)).toMatchObject({ dueAt: null });
    expect((await dms(id)).at(-1)).toMatchObject({
      topic: 'dm.extension_denied',
      params: { by: 'Mo', note: 'call today' },
    });
    expect((await row(id)).followUpDueAt?.getTime()).toBe(start.getTime() + 52 * H);

    // A follow-up starts a fresh deadline, and with it a fresh allowance.
    at(6);
    await logFollowUp(deps(), { leadId: id, actor: slack('UANN'), method: 'call', note: 'reached' });
    await ask('UANN', 'new week');
    expect((await answer('UMO', true)).dueAt?.getTime()).toBe(start.getTime() + (6 + 4 + 24) * H);
    const requests = world.store.extensions.filter((r) => r.leadId === id);
    expect(requests.map((r) => r.status)).toEqual(['approved', 'approved', 'denied', 'approved']);
  });
});
