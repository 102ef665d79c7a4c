/**
 * Grade decides reach, on PostgreSQL: a good lead's card names the qualified reps and each gets a
 * DM; a medium one gets a plain card; poor ones wait for the pool's periodic list.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { PrismaLeadPostStore, PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { GOOD_LEAD_FIELDS } from '../support/fixtures.js';
import { dmsAbout, useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: r
    name: Reach
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    cardBurst: off
    members:
      - { name: Ann, slack: UANN, lark: ou_ann }
      - { name: Bo, slack: UBO }
      - { name: Cy, slack: UCY }
      - { name: Di, slack: UDI }
    pools:
      - id: main
        name: Main
        reach: { alert: [good], list: [poor], listEvery: 1h, notify: [Ann, Bo, Di] }
`,
  'reach',
);
const start = new Date('2026-11-23T08:00:00Z');
const clock = new ManualClock(new Date(start.getTime() + 10 * 60_000));
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);

const MEDIUM = { company: 'Acme', title: 'Buyer', email: 'buyer@acme.example' };
let n = 0;

async function intake(fields: Record<string, string>, count = 1): Promise<number[]> {
  const leads = Array.from({ length: count }, () => {
    const checked = validateLead({ team: 'r', name: `Person ${++n}`, ...fields }, teams, sourceCatalog());
    if (!checked.ok) throw new Error(JSON.stringify(checked));
    return checked.lead;
  });
  const result = await intakeLeads({ store: ctx.store, teams, clock }, leads, 'api');
  if (result.kind !== 'done') throw new Error(result.kind);
  return result.outcomes.map((o) => (o.kind === 'created' ? o.leadId : 0));
}

const queuedOf = async (kind: string) =>
  (await ctx.db.prisma.outboxMessage.findMany({ where: { sink: 'slack', kind }, orderBy: { id: 'asc' } })).map((r) => ({
    payload: r.payload as { leadId?: number; burstId?: number },
    availableAt: r.availableAt,
  }));
const memberName = async (id: string) => (await ctx.db.prisma.member.findUnique({ where: { id } }))?.displayName;

describe('grade decides reach', () => {
  it('announces a good lead to the qualified reps who can take it: named on the card, a DM each', async () => {
    await ctx.db.prisma.member.updateMany({ where: { displayName: 'Di' }, data: { pausedAt: clock.now() } });
    const [good] = await intake(GOOD_LEAD_FIELDS);
    expect((await queuedOf('lead.card')).map((c) => c.payload.leadId)).toContain(good);
    const dms = await dmsAbout(ctx.db, good ?? 0);
    expect(dms.map((d) => d.topic)).toEqual(['dm.hot_lead', 'dm.hot_lead']);
    expect(await Promise.all(dms.map((d) => memberName(d.memberId)))).toEqual(['Ann', 'Bo']);
    expect(dms[0]?.params).toEqual({ pool: 'Main', grade: 'good' });

    const read = new PrismaLeadReadModel(ctx.db.prisma);
    const card = await read.cardData(good ?? 0);
    expect(card?.alerted?.map((a) => a.name)).toEqual(['Ann', 'Bo']);
    expect(card?.alerted?.[0]?.identities.map((i) => `${i.messenger}:${i.externalId}`).sort()).toEqual([
      'lark:ou_ann',
      'slack:UANN',
      'web:slack-UANN',
    ]);

    // Claimed, the card names nobody any more.
    await claimLead({ store: ctx.store, teams, clock }, { leadId: good ?? 0, actor: slackIdentity('UCY') });
    expect((await read.cardData(good ?? 0))?.alerted).toBeUndefined();
  });

  it('gives a medium lead a plain card and tells nobody', async () => {
    const [medium] = await intake(MEDIUM);
    expect((await queuedOf('lead.card')).map((c) => c.payload.leadId)).toContain(medium);
    expect(await dmsAbout(ctx.db, medium ?? 0)).toEqual([]);
    expect(await ctx.db.prisma.leadAlert.count({ where: { leadId: medium ?? 0 } })).toBe(0);
  });

  it('gathers poor leads into the pool’s hourly list: no card each, one list at the end of the hour', async () => {
    const cardsBefore = (await queuedOf('lead.card')).length;
    const first = await intake({}, 2);
    clock.set(new Date(start.getTime() + 50 * 60_000));
    const second = await intake({}, 3);
    expect(await queuedOf('lead.card')).toHaveLength(cardsBefore);
    const lists = await queuedOf('lead.burst');
    expect(lists).toHaveLength(1);
    expect(lists[0]?.availableAt.toISOString()).toBe('2026-11-23T09:00:00.000Z');
    const burstId = lists[0]?.payload.burstId ?? 0;
    const window = await ctx.db.prisma.cardBurst.findUnique({ where: { id: burstId } });
    expect(window?.listPool).toBe('main');
    const posts = new PrismaLeadPostStore(ctx.db.prisma);
    expect(await posts.burstLeads(burstId)).toEqual([...first, ...second]);

    // The next hour has its own list.
    clock.set(new Date(start.getTime() + 61 * 60_000));
    await intake({}, 1);
    expect(await queuedOf('lead.burst')).toHaveLength(2);
  });
});

describe('reach settings', () => {
  const pool = (extra: string) => `teams:
  - id: r
    name: Reach
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Ann, slack: UANN }
    pools:
      - { id: main, ${extra} }
`;
  const problems = (yaml: string) => {
    try {
      parseTeamsConfig(yaml, 'reach');
      return [];
    } catch (error) {
      return (error as { problems?: string[] }).problems ?? [String(error)];
    }
  };

  it('refuses reach on an assigning pool, a grade both alerted and listed, and an unknown name, each at its path', () => {
    expect(problems(pool('mode: round_robin, reach: { alert: [good] }')).join('\n')).toMatch(
      /teams\.0\.pools\.0\.reach.*mode "claim"/,
    );
    expect(problems(pool('reach: { alert: [good], list: [good] }')).join('\n')).toMatch(
      /teams\.0\.pools\.0\.reach\.list.*"good" is already an alert grade/,
    );
    expect(problems(pool('reach: { alert: [good], notify: [Zed] }')).join('\n')).toMatch(
      /teams\.0\.pools\.0\.reach\.notify\.0.*"Zed" is not a member/,
    );
    expect(problems(pool('reach: { list: [poor], listEvery: 1m }')).join('\n')).toMatch(/listEvery.*at least 5m/);
    expect(problems(pool('reach: { alert: [good], list: [poor], listEvery: 2h }'))).toEqual([]);
  });
});
