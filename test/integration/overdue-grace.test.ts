import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { answerExtension, requestExtension } from '../../src/domain/sla/extensions.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestLead } from '../support/fixtures.js';
import { dmsAbout, useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: g
    name: Grace
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h, remindAt: 75%, graceAfterDue: 2h, extension: { by: 1d, max: 2d } }
    members:
      - { name: Ann, slack: UANN }
      - { name: Mo, slack: UMO, role: manager }
`,
  'grace',
);
const MIN = 60_000;
const start = new Date('2026-11-23T08:00:00Z');
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({ store: ctx.store, teams, clock });
const at = (minutes: number) => clock.set(new Date(start.getTime() + minutes * MIN));
const who = (leadId: number) => ({ leadId, actor: slack('UANN') });

const topicsFor = async (leadId: number) => (await dmsAbout(ctx.db, leadId)).map((d) => d.topic);

describe('a grace period after a missed deadline (the escalation ladder)', () => {
  it('reminds at 75 %, tells owner and manager once at the deadline, and reclaims only after the grace', async () => {
    const id = await createTestLead(deps(), { team: 'g', name: 'Ladder Lead' });
    await claimLead(deps(), who(id));
    const claimed = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(claimed.reclaimAt?.getTime()).toBe(start.getTime() + 180 * MIN);
    at(44);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    at(45); // three quarters of the hour
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 1, reclaimed: 0 });
    at(55);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    at(65);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, escalated: 1, reclaimed: 0 });
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, escalated: 0, reclaimed: 0 });
    at(175);
    expect(await runSlaSweep(deps())).toMatchObject({ reminded: 0, reclaimed: 0 });
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('owned');
    at(181);
    expect(await runSlaSweep(deps())).toMatchObject({ reclaimed: 1 });
    expect(await topicsFor(id)).toEqual([
      'dm.claim_won',
      'dm.sla_reminder',
      'dm.sla_overdue_owner',
      'dm.sla_overdue_manager',
      'dm.sla_reclaimed_owner',
      'dm.sla_reclaimed_manager',
    ]);
  });

  it('a follow-up during the grace starts a fresh deadline and keeps the lead', async () => {
    at(300);
    const id = await createTestLead(deps(), { team: 'g', name: 'Saved Lead' });
    await claimLead(deps(), who(id));
    at(365);
    await runSlaSweep(deps()); // reminded and escalated
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).escalatedAt).not.toBeNull();
    at(400);
    await logFollowUp(deps(), { ...who(id), method: 'call', note: 'reached at last' });
    const saved = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(saved.escalatedAt).toBeNull();
    expect(saved.reclaimAt?.getTime()).toBe(start.getTime() + (400 + 180) * MIN);
    at(485);
    await runSlaSweep(deps());
    expect((await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('owned');
  });

  it('an approved extension moves the deadline, its reminder and the end of its grace together (in SQL)', async () => {
    at(600);
    const id = await createTestLead(deps(), { team: 'g', name: 'Later Lead' });
    await claimLead(deps(), who(id));
    await requestExtension(deps(), { ...who(id), reason: 'buyer travelling' });
    await answerExtension(deps(), { leadId: id, actor: slack('UMO'), approve: true });
    const moved = await ctx.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    const day = 24 * 60 * MIN;
    expect(moved.followUpDueAt?.getTime()).toBe(start.getTime() + 660 * MIN + day);
    // The reminder comes at 75 % of the new window, counted from the answer (10:00 → 35:00).
    expect(moved.remindAt?.getTime()).toBe(start.getTime() + (600 + 0.75 * (660 + 24 * 60 - 600)) * MIN);
    expect(moved.reclaimAt?.getTime()).toBe(start.getTime() + 780 * MIN + day);
    expect(await ctx.db.prisma.leadEvent.count({ where: { leadId: id, action: 'extended' } })).toBe(1);
  });
});
