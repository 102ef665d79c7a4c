import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestLead } from '../support/fixtures.js';
import { dmsAbout, useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1d }
    sla: { followUp: 1d, remindBefore: 1h, convertWithin: 2d, convertWarnBefore: 4h }
    members:
      - { name: Ann, slack: UANN }
      - { name: Mo, slack: UMO, role: manager }
`,
  'conversion',
);
const H = 3_600_000;
const start = new Date('2026-11-23T01:00:00Z');
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock, sources: config.sources });
const at = (hours: number) => clock.set(new Date(start.getTime() + hours * H));
const who = (leadId: number) => ({ leadId, actor: slack('UANN') });

const topicsFor = async (leadId: number) => (await dmsAbout(ctx.db, leadId)).map((d) => d.topic);

describe('the conversion deadline', () => {
  it('warns the owner, then reclaims a lead followed up on time but not converted, with its own messages', async () => {
    const id = await createTestLead(deps(), { team: 'sh', name: 'Slow Deal' });
    await claimLead(deps(), who(id));
    const claimed = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(claimed.convertDueAt?.toISOString()).toBe(new Date(start.getTime() + 48 * H).toISOString());
    expect(claimed.convertWarnAt?.toISOString()).toBe(new Date(start.getTime() + 44 * H).toISOString());
    // Following up keeps the follow-up deadline fresh but not the conversion deadline.
    for (const hour of [20, 40]) {
      at(hour);
      await logFollowUp(deps(), { ...who(id), method: 'call', note: 'still thinking' });
    }
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).convertDueAt).toEqual(claimed.convertDueAt);
    at(44.5);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 1, reclaimed: 0 });
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    at(48.5);
    expect(await runSlaSweep(deps())).toMatchObject({ reclaimed: 1 });
    const lead = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(lead).toMatchObject({ status: 'pooled', ownerId: null, convertDueAt: null, convertWarnAt: null });
    const event = await ctx.db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: id, action: 'reclaimed' } });
    expect(event.reason).toBe('conversion_deadline_passed');
    expect(await topicsFor(id)).toEqual([
      'dm.claim_won',
      'dm.convert_warning',
      'dm.convert_reclaimed_owner',
      'dm.convert_reclaimed_manager',
    ]);
    const ban = await ctx.db.prisma.claimBan.findFirstOrThrow({ where: { leadId: id } });
    expect(ban.until.getTime() - clock.now().getTime()).toBe(24 * H);
  });

  it('ends with the conversion: a converted lead is never reclaimed', async () => {
    at(100);
    const id = await createTestLead(deps(), { team: 'sh', name: 'Quick Deal' });
    await claimLead(deps(), who(id));
    at(110);
    await convertLead(deps(), who(id), '500');
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).convertDueAt).toBeNull();
    at(160);
    await runSlaSweep(deps());
    expect(await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'closed',
      stage: 'converted',
    });
  });
});
