import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { listMyLeads } from '../../src/domain/leads/list-my-leads.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { DomainError } from '../../src/domain/shared/errors.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { memoryWorld } from '../support/memory-world.js';

const config = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 2d, remindBefore: 2h }
    members:
      - { name: Ana, slack: UANA }
`,
  'next',
);
const clock = new ManualClock('2026-12-02T06:20:00Z'); // Wednesday 14:20 in Shanghai
const ana = slackIdentity('UANA');
const world = memoryWorld(config, clock);
const { store, teams, deps } = world;

async function ownedLead(): Promise<number> {
  const id = world.lead('sh', { name: `Next ${Math.random()}` });
  await claimLead(deps(), { leadId: id, actor: ana });
  return id;
}

describe('a follow-up with a next contact time', () => {
  it('brings the deadline forward to the promised time, read in the team zone, and stores it', async () => {
    const id = await ownedLead();
    const logged = await logFollowUp(deps(), {
      leadId: id,
      actor: ana,
      method: 'call',
      note: 'Demo booked',
      next: '明天上午10点',
    });
    expect(logged.nextContactAt?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    expect(logged.dueAt.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    const lead = await world.row(id);
    expect(lead.followUpDueAt?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    expect(lead.remindAt?.toISOString()).toBe('2026-12-03T00:00:00.000Z'); // two hours before
    const row = store.followUps.find((f) => f.leadId === id);
    expect(row?.nextContactAt?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
  });

  it('never pushes the deadline past the SLA', async () => {
    const id = await ownedLead();
    const logged = await logFollowUp(deps(), {
      leadId: id,
      actor: ana,
      method: 'email',
      note: 'Sent deck',
      next: 'in 5d',
    });
    expect(logged.dueAt.toISOString()).toBe('2026-12-04T06:20:00.000Z'); // the 2-day SLA
    expect(logged.nextContactAt?.toISOString()).toBe('2026-12-07T06:20:00.000Z');
  });

  it('refuses an unreadable, past or far time with the reason, and writes nothing', async () => {
    const id = await ownedLead();
    const before = store.writes;
    for (const [next, code] of [
      ['someday', 'follow_up.next_unreadable'],
      ['2026-12-01 10:00', 'follow_up.next_past'],
      ['in 400d', 'follow_up.next_too_far'],
    ] as const) {
      const refused = await logFollowUp(deps(), { leadId: id, actor: ana, method: 'call', note: 'x', next }).catch(
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(DomainError);
      expect((refused as DomainError).code).toBe(code);
      expect((refused as DomainError).params.text).toBe(next);
    }
    expect(store.writes).toBe(before);
  });

  it('lists what is overdue and what is due later today, by the team clock', async () => {
    const laterToday = await ownedLead();
    await logFollowUp(deps(), { leadId: laterToday, actor: ana, method: 'call', note: 'a', next: 'today 16:00' });
    const tomorrow = await ownedLead();
    await logFollowUp(deps(), { leadId: tomorrow, actor: ana, method: 'call', note: 'b', next: 'tomorrow 10am' });
    const soon = await ownedLead();
    await logFollowUp(deps(), { leadId: soon, actor: ana, method: 'call', note: 'c', next: 'in 30m' });
    clock.advance(40 * 60_000); // 15:00 in Shanghai: "soon" has passed its deadline
    const only = (filter: 'overdue' | 'today') => ({ only: filter, now: clock.now(), teams });
    expect((await listMyLeads(store, ana, only('overdue'))).map((l) => l.id)).toEqual([soon]);
    expect((await listMyLeads(store, ana, only('today'))).map((l) => l.id)).toEqual([laterToday]);
    expect((await listMyLeads(store, ana)).map((l) => l.id)).toEqual(
      expect.arrayContaining([soon, laterToday, tomorrow]),
    );
  });
});
