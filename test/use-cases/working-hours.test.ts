import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { memoryWorld } from '../support/memory-world.js';

const config = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 2h, remindBefore: 30m }
    workingHours: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00" }
    members:
      - { name: A, slack: UA }
`,
  'working-hours',
);
const clock = new ManualClock('2026-11-27T09:30:00Z'); // Friday 17:30 in Shanghai
const world = memoryWorld(config, clock);
const { deps } = world;

describe('deadlines in working time', () => {
  it('a lead claimed on Friday evening falls due on Monday morning: the weekend sweeps leave it alone', async () => {
    const id = world.lead('sh', { name: 'Friday Lead' });
    await claimLead(deps(), { leadId: id, actor: slack('UA') });
    const lead = await world.row(id);
    // Half an hour on Friday, then 90 minutes from Monday 09:00: due Monday 10:30, reminded at 10:00.
    expect(lead.followUpDueAt?.toISOString()).toBe('2026-11-30T02:30:00.000Z');
    expect(lead.remindAt?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    for (const weekend of ['2026-11-28T19:00:00Z', '2026-11-29T19:00:00Z']) {
      clock.set(new Date(weekend)); // 03:00 on Sunday and Monday nights
      expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    }
    clock.set(new Date('2026-11-30T02:00:30Z'));
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 1, reclaimed: 0 });
    clock.set(new Date('2026-11-30T02:30:30Z'));
    expect(await runSlaSweep(deps())).toMatchObject({ reclaimed: 1 });
  });
});
