import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { changeStage, closeLead } from '../../src/domain/leads/work-lead.js';
import { type FunnelDeps, funnelReport, spendIn, verdictOf } from '../../src/domain/reports/funnel.js';
import { exportPeriodLeads } from '../../src/domain/reports/period-export.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import type { LeadStore } from '../../src/domain/store.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { PrismaReportReader } from '../../src/infra/db/report.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { presentFunnel } from '../../src/messengers/shared/presenters/funnel.presenter.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { codeOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';

const TEAMS_FILE = `teams:
  - id: alpha
    name: Alpha Sales
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    intake: { defaultRegion: CN, currency: CNY }
    members:
      - { name: Ana, slack: UANA }
      - { name: Bo, slack: UBO }
      - { name: Mei, slack: UMEI, role: manager }
  - id: beta
    name: Beta
    timezone: Asia/Shanghai
    slack: { channel: CBETA }
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 1h }
    members:
      - { name: Ana, slack: UANA }
      - { name: Xu, slack: UXU, role: admin }
      - { name: Yan, slack: UYAN }
sources:
  - { id: search_ads, category: paid, cost: { amount: 3044, currency: CNY, period: month } }
`;
const config = parseTeamsConfig(TEAMS_FILE, 'funnel');
const MIN = 60_000;
// Monday 23 Nov 2026, 09:00 in Shanghai.
const start = new Date('2026-11-23T01:00:00Z');
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
let testDb: TestDatabase;
let db: Database;
let deps: FunnelDeps & { store: LeadStore };
const at = (minutes: number) => clock.set(new Date(start.getTime() + minutes * MIN));

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
  await syncTeams(db.prisma, config, clock.now());
  const store = new PrismaLeadStore(db.prisma);
  deps = { store, teams, sources: config.sources, clock, reports: new PrismaReportReader(db.prisma) };
  const intake = { store, teams, clock, sources: config.sources };
  const l1 = await createTestLead(intake, { team: 'alpha', name: 'One', source: 'search_ads' });
  const l2 = await createTestLead(intake, { team: 'alpha', name: 'Two', source: 'website' });
  await createTestLead(intake, { team: 'alpha', name: 'Three', source: 'website' });
  const l4 = await createTestLead(intake, { team: 'alpha', name: 'Four', source: 'search_ads' });
  await createTestLead(intake, { team: 'beta', name: 'Elsewhere' });
  const who = (user: string, leadId: number) => ({ leadId, actor: slack(user) });
  await claimLead(deps, who('UANA', l1));
  await claimLead(deps, who('UBO', l2));
  await claimLead(deps, who('UANA', l4));
  at(30);
  await logFollowUp(deps, { ...who('UANA', l1), method: 'call', note: 'reached' });
  at(61);
  await runSlaSweep(deps); // Bo missed l2's deadline; Ana missed l4's.
  at(120);
  await claimLead(deps, who('UANA', l2));
  at(130);
  await logFollowUp(deps, { ...who('UANA', l2), method: 'call', note: 'reached' });
  await changeStage(deps, who('UANA', l1), 'qualified');
  at(24 * 60);
  await convertLead(deps, who('UANA', l1), '1000');
  await claimLead(deps, who('UANA', l4));
  await closeLead(deps, who('UANA', l4), 'competitor');
  at(3 * 24 * 60);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('/lead funnel', () => {
  it("counts a manager's team this week, in PostgreSQL, against last week", async () => {
    const report = await funnelReport(deps, { actor: slack('UMEI'), period: 'this week' });
    expect(report.title).toEqual({ teams: ['Alpha Sales'], rep: null });
    expect(report.current).toEqual({
      leadsIn: 4,
      contacted: 2,
      qualified: 1,
      converted: 1,
      lost: 1,
      invalid: 0,
      // Takes in the period (claims and assignments) and those the taker contacted within the SLA:
      // the sums of the "by rep" rows below.
      owned: 5,
      contactedWithinSla: 2,
      reclaims: 2,
      firstContactMedianMs: 80 * MIN,
      firstContactP90Ms: 120 * MIN,
      convertMedianMs: 24 * 60 * MIN,
      dealValue: 1000,
    });
    expect(report.previous.leadsIn).toBe(0);
    expect(report.reps).toEqual([
      {
        memberId: expect.any(String),
        name: 'Ana',
        taken: 4,
        contactedWithinSla: 2,
        reclaimed: 1,
        converted: 1,
        firstContactMedianMs: 20 * MIN,
      },
      {
        memberId: expect.any(String),
        name: 'Bo',
        taken: 1,
        contactedWithinSla: 0,
        reclaimed: 1,
        converted: 0,
        firstContactMedianMs: null,
      },
    ]);
    // Mei manages and took nothing: no row of zeros for her.
  });

  it('ranks channels by return, with spend pro-rated to the period and a verdict', async () => {
    const { channels } = await funnelReport(deps, { actor: slack('UMEI'), period: '本周' });
    expect(
      channels.map((c) => [c.source, c.leads, c.converted, c.dealValue, c.spend, c.costPerLead, c.verdict]),
    ).toEqual([
      ['search_ads', 2, 1, 1000, 700, 350, 'keep'],
      ['website', 2, 0, 0, null, null, 'keep'],
    ]);
    expect(channels[0]?.roi).toBeCloseTo(300 / 700, 6);
    expect(spendIn({ amount: 3044, currency: 'CNY', period: 'month' }, new Date(0), new Date(30.44 * 86_400_000))).toBe(
      3044,
    );
    expect(verdictOf(0.01, null, 100)).toBe('drop');
    expect(verdictOf(0.04, null, 100)).toBe('watch');
    expect(verdictOf(0.2, -0.5, 100)).toBe('drop');
    expect(verdictOf(0.2, 0.5, 100)).toBe('watch');
    expect(verdictOf(0.2, 2, 100)).toBe('keep');
    expect(verdictOf(0, null, 5)).toBe('keep');
  });

  it('judges channels by the thresholds the teams file sets', async () => {
    const strict = parseTeamsConfig(`${TEAMS_FILE}channelVerdict: { minLeads: 1, watchRate: "60%" }\n`, 'strict');
    expect(strict.sources.verdict).toEqual({ dropRate: 0.02, watchRate: 0.6, dropRoi: 0, watchRoi: 1, minLeads: 1 });
    const report = await funnelReport(
      { ...deps, sources: strict.sources },
      { actor: slack('UMEI'), period: 'this week' },
    );
    // Two leads each are now enough to judge: search_ads converts half (below 60 %), website none.
    expect(report.channels.map((c) => [c.source, c.verdict])).toEqual([
      ['search_ads', 'watch'],
      ['website', 'drop'],
    ]);
    expect(() => parseTeamsConfig(`${TEAMS_FILE}channelVerdict: { dropRate: 0.3, watchRate: 0.1 }\n`, 'bad')).toThrow(
      /channelVerdict: dropRate must not be above watchRate/,
    );
    expect(() => parseTeamsConfig(`${TEAMS_FILE}channelVerdict: { watchRate: "150%" }\n`, 'bad')).toThrow(
      /channelVerdict\.watchRate/,
    );
  });

  it('gives a 14-day trend up to today, per Shanghai day, with quiet days as zeros', async () => {
    const report = await funnelReport(deps, { actor: slack('UMEI'), period: 'this week' });
    expect(report.trend).toHaveLength(14);
    expect(report.trend[0]?.day).toBe('2026-11-13');
    expect(report.trend[13]?.day).toBe('2026-11-26'); // Thursday: the week is still running
    const busy = report.trend.filter((d) => d.leadsIn + d.contacted + d.converted > 0);
    expect(busy).toEqual([
      { day: '2026-11-23', leadsIn: 4, contacted: 2, converted: 0 },
      { day: '2026-11-24', leadsIn: 0, contacted: 0, converted: 1 },
    ]);
    const past = await funnelReport(deps, { actor: slack('UMEI'), period: '2026-11-01..2026-11-23' });
    expect(past.trend.map((d) => d.day).at(-1)).toBe('2026-11-23');
    expect(past.trend.at(-1)).toEqual({ day: '2026-11-23', leadsIn: 4, contacted: 2, converted: 0 });
    const own = await funnelReport(deps, { actor: slack('UANA'), team: 'alpha', period: 'this week' });
    expect(own.trend.find((d) => d.day === '2026-11-23')).toEqual({
      day: '2026-11-23',
      leadsIn: 3,
      contacted: 2,
      converted: 0,
    });
  });

  it('shows a rep their own numbers, an admin any team, and refuses the rest', async () => {
    const ana = await funnelReport(deps, { actor: slack('UANA'), period: 'this week' });
    expect(ana.title).toEqual({ teams: ['Alpha Sales'], rep: 'Ana' });
    expect([ana.current.leadsIn, ana.current.converted, ana.current.reclaims]).toEqual([3, 1, 1]);
    // Bo took Two and lost it to the sweep: it is one of his leads of the week, reclaimed once.
    const bo = await funnelReport(deps, { actor: slack('UBO'), period: 'this week' });
    expect([bo.current.leadsIn, bo.current.reclaims, bo.current.owned, bo.current.contactedWithinSla]).toEqual([
      1, 1, 1, 0,
    ]);
    // One definition per figure: a rep's own report carries exactly their row of the manager's.
    const managers = await funnelReport(deps, { actor: slack('UMEI'), period: 'this week' });
    for (const own of [ana, bo]) {
      const row = managers.reps.find((r) => r.name === own.title.rep);
      expect(own.reps).toEqual([row]);
      expect([own.current.owned, own.current.contactedWithinSla, own.current.reclaims]).toEqual([
        row?.taken,
        row?.contactedWithinSla,
        row?.reclaimed,
      ]);
    }
    const admin = await funnelReport(deps, { actor: slack('UXU'), team: 'alpha', period: 'this week' });
    expect(admin.current.leadsIn).toBe(4);
    const everything = await funnelReport(deps, { actor: slack('UXU'), period: 'this week' });
    expect(everything.current.leadsIn).toBe(5);
    expect(await codeOf(funnelReport(deps, { actor: slack('UBO'), team: 'beta' }))).toBe('report.not_your_team');
    expect(await codeOf(funnelReport(deps, { actor: slack('UMEI'), team: 'gamma' }))).toBe('team.unknown');
    expect(await codeOf(funnelReport(deps, { actor: slack('UMEI'), period: 'fortnight' }))).toBe(
      'report.period_unreadable',
    );
    expect(await codeOf(funnelReport(deps, { actor: slack('UNOBODY') }))).toBe('member.not_in_team');
  });

  it('answers a person in two teams for the team of the chat they asked in, else their most active team', async () => {
    // Ana is in Beta too, where she has done nothing: her funnel defaults to Alpha, where she works.
    const busiest = await funnelReport(deps, { actor: slack('UANA'), period: 'this week' });
    expect(busiest.title).toEqual({ teams: ['Alpha Sales'], rep: 'Ana' });
    expect(presentFunnel(busiest, 'zh-CN')).toContain('漏斗 · Alpha Sales，你自己的线索');
    const inBeta = await funnelReport(deps, { actor: slack('UANA'), period: 'this week', channelTeam: 'beta' });
    expect(inBeta.title).toEqual({ teams: ['Beta'], rep: 'Ana' });
    expect(inBeta.current.leadsIn).toBe(0);
    // A chat of a team she is not in changes nothing; a team she names wins over the chat.
    const named = await funnelReport(deps, { actor: slack('UBO'), period: 'this week', channelTeam: 'beta' });
    expect(named.title.teams).toEqual(['Alpha Sales']);
    const typed = await funnelReport(deps, { actor: slack('UANA'), team: 'alpha', channelTeam: 'beta' });
    expect(typed.title.teams).toEqual(['Alpha Sales']);
  });

  it('exports the period’s leads for whom the funnel is for, cut at the limit and saying so', async () => {
    const all = await exportPeriodLeads(deps, { actor: slack('UMEI'), period: 'this week' });
    expect([all.rows.length, all.truncated]).toEqual([4, false]);
    expect(all.rows.map((r) => r.name)).toEqual(['One', 'Two', 'Three', 'Four']);
    expect(all.rows[0]).toMatchObject({
      stage: 'converted',
      owner: 'Ana',
      dealValue: 1000,
      followUps: 1,
      lastFollowUpMethod: 'call',
    });
    const cut = await exportPeriodLeads(deps, { actor: slack('UMEI'), period: 'this week' }, 2);
    expect([cut.rows.length, cut.truncated]).toEqual([2, true]);
    const own = await exportPeriodLeads(deps, { actor: slack('UBO'), period: 'this week' });
    expect(own.rows.map((r) => r.name)).toEqual(['Two']);
  });

  it('reads every number in the text, in both languages', async () => {
    const report = await funnelReport(deps, { actor: slack('UMEI'), period: 'this week' });
    const en = presentFunnel(report, 'en');
    expect(en).toContain('Funnel · Alpha Sales · this week');
    expect(en).toContain('Leads in: 4, none the period before');
    expect(en).toContain(
      'Contacted 2 (50%) → qualified 1 (50% of contacted) → converted 1 (100% of qualified, 25% overall)',
    );
    expect(en).toContain('First contact: median 1h 20m, p90 2h 0m · time to convert: median 1d 0h');
    expect(en).toContain('Contacted within the SLA: 2 of 5 taken (40%) · reclaims: 2, none the period before');
    expect(en).not.toMatch(/\(= vs|\(new: |\b1 leads\b/);
    expect(en).toMatch(/• Search ads: 2 leads, 50% converted, spend .*700.*, .*350.* per lead, ROI 0\.43 → keep/);
    expect(en).toContain('• Ana: 4 taken, 2 contacted within SLA, 1 reclaimed, 1 converted, median first contact 20m');
    const zh = presentFunnel(report, 'zh-CN');
    expect(zh).toContain('漏斗 · Alpha Sales · 本周');
    expect(zh).toContain('首次联系：中位数 1小时20分钟');
  });
});
