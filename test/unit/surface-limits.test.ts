/**
 * Every view that can grow, rendered with the worst data a team can produce (the longest names in
 * Chinese and emoji, 500 open leads, 100 reps, 50 channels, 200 follow-ups), against each
 * messenger's documented limits: Slack's Block Kit (SLACK_LIMITS) and Lark's Card JSON 2.0
 * (LARK_LIMITS). The views must page, condense or cut with a "more" line; never be refused.
 */
import { describe, expect, it } from 'vitest';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import type { Desk } from '../../src/domain/leads/desk.js';
import type { Lead, Member, TeamPolicy } from '../../src/domain/leads/lead.js';
import type { LeadCardData } from '../../src/domain/leads/lead-read-model.js';
import type { Digest } from '../../src/domain/reports/digest.js';
import type { ChannelReport, RepRow } from '../../src/domain/reports/funnel.js';
import { DEFAULT_SCORING } from '../../src/domain/scoring/score-rules.js';
import { buildBurstCard, LARK_BURST_PAGE } from '../../src/messengers/lark/views/burst-card.card.js';
import { buildFormCard, formInput } from '../../src/messengers/lark/views/form.card.js';
import { buildHomeCard } from '../../src/messengers/lark/views/home.card.js';
import { type LarkCard, textCard } from '../../src/messengers/lark/views/lark-card.js';
import { cardBytes, elementCount, LARK_LIMITS } from '../../src/messengers/lark/views/lark-limits.js';
import { buildLeadCard } from '../../src/messengers/lark/views/lead-card.card.js';
import { burstPages } from '../../src/messengers/shared/burst-pages.js';
import type { FormView } from '../../src/messengers/shared/interaction.js';
import { presentBurstPage } from '../../src/messengers/shared/presenters/burst-card.presenter.js';
import { presentUsage } from '../../src/messengers/shared/presenters/command-reply.presenter.js';
import { presentDigest } from '../../src/messengers/shared/presenters/digest.presenter.js';
import { presentFollowUpForm } from '../../src/messengers/shared/presenters/follow-up-form.presenter.js';
import { presentFunnel } from '../../src/messengers/shared/presenters/funnel.presenter.js';
import { presentHome } from '../../src/messengers/shared/presenters/home.presenter.js';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { presentLeadDetail } from '../../src/messengers/shared/presenters/lead-detail.presenter.js';
import { presentNewLeadForm } from '../../src/messengers/shared/presenters/new-lead-form.presenter.js';
import { buildBurstCardBlocks, SLACK_BURST_PAGE } from '../../src/messengers/slack/views/burst-card.blocks.js';
import { buildFormModal, buildResultModal } from '../../src/messengers/slack/views/form-modal.blocks.js';
import { buildHomeView, buildViewMessage } from '../../src/messengers/slack/views/home.blocks.js';
import { buildLeadCardBlocks } from '../../src/messengers/slack/views/lead-card.blocks.js';
import { SLACK_LIMITS } from '../../src/messengers/slack/views/slack-limits.js';
import { textMessage } from '../../src/messengers/slack/views/slack-text.js';
import { exampleFunnelReport } from '../support/chart-example.js';
import { testLead, testTeam } from '../support/fixtures.js';

const LONG_ZH = '深圳市前海瑞丰国际供应链管理科技股份有限公司华南大区渠道合作伙伴事业部'.repeat(4);
const LONG_NAME = `欧阳🦄🚀${'娜'.repeat(40)} 👩🏻‍💼`.repeat(3);
const longLead = (id: number, overrides: Partial<Lead> = {}): Lead =>
  testLead({
    id,
    name: LONG_NAME,
    company: LONG_ZH,
    title: LONG_ZH,
    email: `${'x'.repeat(60)}@${'y'.repeat(60)}.example`,
    phone: '+86 138 0013 8000',
    region: LONG_ZH,
    industry: LONG_ZH,
    need: LONG_ZH.repeat(5),
    notes: LONG_ZH.repeat(20),
    source: 'website',
    subSource: LONG_ZH,
    campaign: LONG_ZH,
    status: 'owned',
    ownerId: 'm1',
    followUpDueAt: new Date('2026-12-07T02:00:00Z'),
    ...overrides,
  });
const rep = (i: number): Member => ({
  id: `m${i}`,
  teamId: 'alpha',
  displayName: `${LONG_NAME}${i}`,
  role: 'rep',
  locale: 'zh-CN',
  active: true,
});
const team: TeamPolicy = { ...testTeam(), locale: 'zh-CN', name: LONG_ZH, scoring: DEFAULT_SCORING };
const teams = { find: () => team, all: () => [team] } as never;
const cardData = (lead: Lead): LeadCardData => ({
  lead,
  owner: rep(1),
  returnedFrom: null,
  related: Array.from({ length: 5 }, (_, i) => ({ id: 1000 + i, status: 'owned' as const, ownerName: LONG_NAME })),
});

function worstDigest(): Digest {
  const funnel = exampleFunnelReport();
  const channels: ChannelReport[] = Array.from({ length: 50 }, (_, i) => ({
    source: `${LONG_ZH}${i}`,
    leads: 100 + i,
    converted: i,
    dealValue: 1e9,
    conversionRate: 0.1,
    spend: 1e6,
    currency: 'CNY',
    costPerLead: 1000,
    roi: 2,
    verdict: 'keep',
  }));
  const reps: RepRow[] = Array.from({ length: 100 }, (_, i) => ({
    memberId: `m${i}`,
    name: rep(i).displayName,
    taken: i,
    contactedWithinSla: i,
    reclaimed: i,
    converted: i,
    firstContactMedianMs: 3_600_000,
  }));
  return {
    teamId: 'alpha',
    kind: 'daily',
    late: true,
    funnel: { ...funnel, title: { teams: [LONG_ZH], rep: null }, channels, reps },
    backlog: { overdue: 500, dueSoon: 500, pooled: 500, oldestPooledAt: new Date('2026-11-01T00:00:00Z') },
    breached: Array.from({ length: 50 }, (_, i) => ({ lead: longLead(i + 1), ownerName: rep(i).displayName })),
    undelivered: 99,
  };
}

function worstDesk(): Desk {
  const open = Array.from({ length: 500 }, (_, i) => longLead(i + 1));
  return {
    memberships: [{ ...rep(0), role: 'manager' }],
    open,
    openCount: 500,
    overdueCount: 500,
    dueTodayCount: 500,
    quotas: Array.from({ length: 10 }, () => ({ teamId: 'alpha', quota: 1000, used: 999 })),
    cooldowns: Array.from({ length: 100 }, (_, i) => ({ leadId: i + 1, until: new Date('2026-12-08T00:00:00Z') })),
    teamOverdue: open.map((lead, i) => ({ lead, ownerName: rep(i).displayName })),
  } as unknown as Desk;
}

/** Every Slack limit a message or view can break. */
function expectWithinSlack(blocks: unknown[], maxBlocks: number): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks as Record<string, never>[]) {
    const b = block as unknown as {
      type: string;
      text?: { text: string };
      fields?: { text: string }[];
      elements?: { type: string; text?: { text: string } | string; value?: string }[];
      accessory?: { text?: { text: string }; value?: string };
    };
    if (b.type === 'header') expect(b.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (b.fields) {
      expect(b.fields.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionFields);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (b.type === 'context') expect(b.elements?.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    if (b.type === 'actions') expect(b.elements?.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
    for (const button of [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]) {
      const label = typeof button.text === 'object' ? button.text.text : '';
      expect(label.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonText);
      expect((button.value ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    }
  }
}

/** Lark's element count, card size and input lengths. */
function expectWithinLark(card: LarkCard): void {
  expect(elementCount(card)).toBeLessThanOrEqual(LARK_LIMITS.elements);
  expect(cardBytes(card)).toBeLessThanOrEqual(LARK_LIMITS.cardBytes);
  JSON.stringify(card, (key, value) => {
    if (key === 'max_length') {
      expect(value).toBeGreaterThanOrEqual(1);
      expect(value).toBeLessThanOrEqual(LARK_LIMITS.inputMaxLength);
    }
    return value;
  });
}

const figures: string[] = [];
const measure = (view: string, slackBlocks: number, slackMax: number, lark: LarkCard) =>
  figures.push(
    `${view}: Slack ${slackBlocks}/${slackMax} blocks; Lark ${elementCount(lark)}/${LARK_LIMITS.elements} elements, ${cardBytes(lark)}/${LARK_LIMITS.cardBytes} bytes`,
  );

describe('views with the worst data a team can produce stay inside both messengers’ limits', () => {
  it('the daily digest of 50 channels, 100 reps and 50 breached leads', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const view = presentDigest(worstDigest(), locale, new Date('2026-12-06T10:00:00Z'));
      const message = buildViewMessage(view);
      expectWithinSlack(message.blocks, SLACK_LIMITS.messageBlocks);
      expect(JSON.stringify(message.blocks)).toContain(locale === 'en' ? 'cut here to fit' : '消息已截断');
      const lark = buildHomeCard(view);
      expectWithinLark(lark);
      measure(`digest (${locale})`, message.blocks.length, SLACK_LIMITS.messageBlocks, lark);
    }
  });

  it('the desk of a manager with 500 open and 500 overdue leads', () => {
    const view = presentHome(worstDesk(), teams, { locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, new Date());
    const home = buildHomeView(view);
    expectWithinSlack(home.blocks, SLACK_LIMITS.viewBlocks);
    const lark = buildHomeCard(view);
    expectWithinLark(lark);
    expect(JSON.stringify(lark)).toContain('还有更多');
    measure('desk', home.blocks.length, SLACK_LIMITS.viewBlocks, lark);
  });

  it('a lead card and the lead’s detail with 200 follow-ups', () => {
    const view = presentLeadCard(cardData(longLead(1)), team);
    const slack = buildLeadCardBlocks(view);
    expectWithinSlack(slack.blocks, SLACK_LIMITS.messageBlocks);
    const lark = buildLeadCard(view);
    expectWithinLark(lark);
    measure('lead card', slack.blocks.length, SLACK_LIMITS.messageBlocks, lark);
    const detail = presentLeadDetail(
      {
        ...cardData(longLead(1)),
        viewer: rep(1),
        contactVisible: true,
        followUps: Array.from({ length: 200 }, () => ({
          at: new Date(),
          by: LONG_NAME,
          method: 'call',
          note: LONG_ZH.repeat(10),
          nextContactAt: new Date(),
          outcome: 'reached',
          nextStep: LONG_ZH,
        })),
        events: Array.from({ length: 200 }, () => ({
          at: new Date(),
          action: 'claimed',
          by: LONG_NAME,
          reason: LONG_ZH,
        })),
      },
      team,
      'zh-CN',
      'Asia/Shanghai',
    );
    expectWithinSlack(textMessage(detail).blocks, SLACK_LIMITS.messageBlocks);
    // In a modal (the Home tab's Open), the same detail within a view's blocks, its title within 24.
    const modal = buildResultModal(LONG_ZH, LONG_ZH, detail);
    expectWithinSlack(modal.blocks, SLACK_LIMITS.viewBlocks);
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    expectWithinLark(textCard(detail));
  });

  it('burst pages of the longest leads, at each messenger’s page size', () => {
    const leads = Array.from({ length: 500 }, (_, i) => cardData(longLead(i + 1, { status: 'pooled', ownerId: null })));
    for (const page of burstPages(
      leads.map((l) => l.lead.id),
      SLACK_BURST_PAGE,
    ).slice(0, 2)) {
      const message = buildBurstCardBlocks(presentBurstPage(leads.slice(0, page.ids.length), team, page));
      expectWithinSlack(message.blocks, SLACK_LIMITS.messageBlocks);
    }
    const larkPage = burstPages(
      leads.map((l) => l.lead.id),
      LARK_BURST_PAGE,
    )[0];
    const lark = buildBurstCard(
      presentBurstPage(leads.slice(0, LARK_BURST_PAGE), team, larkPage ?? { part: 1, parts: 1 }),
    );
    expectWithinLark(lark);
  });

  it('the funnel by 100 reps and 50 channels, the help, and the forms', () => {
    const report = { ...worstDigest().funnel };
    // Slack shows every rep the funnel lists (25): a long answer takes several sections instead of being cut.
    const shown = JSON.stringify(textMessage(presentFunnel(report, 'en')).blocks);
    expect(shown).toContain(`${LONG_NAME.slice(-12)}24:`);
    for (const locale of ['en', 'zh-CN'] as const) {
      expectWithinSlack(textMessage(presentFunnel(report, locale)).blocks, SLACK_LIMITS.messageBlocks);
      expectWithinLark(textCard(presentFunnel(report, locale)));
      expectWithinSlack(textMessage(presentUsage(locale, true)).blocks, SLACK_LIMITS.messageBlocks);
      expectWithinLark(textCard(presentUsage(locale, true)));
    }
    const sources = sourceCatalog([], { minLeads: 10, dropRate: 0.02, watchRate: 0.05, dropRoi: 0, watchRoi: 1 });
    const newLead = presentNewLeadForm(Array(30).fill(team), sources, 'zh-CN');
    expectWithinLark(buildFormCard(newLead));
    expectWithinSlack(buildFormModal(newLead).blocks, SLACK_LIMITS.viewBlocks);
    // A refused submission shows every field again, typed values and a problem under each.
    const typed = Object.fromEntries(newLead.fields.map((f) => [f.id, LONG_ZH.repeat(20)]));
    const problems = Object.fromEntries(newLead.fields.map((f) => [f.id, LONG_ZH]));
    const refused = presentNewLeadForm(Array(30).fill(team), sources, 'zh-CN', typed, problems);
    expectWithinLark(buildFormCard(refused));
    // Slack takes back what was typed only within each input's own max_length.
    for (const block of buildFormModal(refused).blocks) {
      const element = (block as { element?: { initial_value?: string; max_length?: number } }).element;
      if (element?.initial_value) expect(element.initial_value.length).toBeLessThanOrEqual(element.max_length ?? 0);
    }
    expectWithinLark(buildFormCard(presentFollowUpForm(longLead(1), 'zh-CN')));
    const reason = formInput({ id: 'reason', label: LONG_ZH, kind: 'long_text', optional: false });
    expect(reason.max_length).toBeLessThanOrEqual(LARK_LIMITS.inputMaxLength);
    // The reassign form with a team of 300 members: Lark takes at most 100 options, Slack 100.
    const assign: FormView = {
      submitId: 'lead.assign.submit',
      slackView: 'lead.assign.modal',
      title: LONG_ZH,
      about: LONG_ZH,
      submit: LONG_ZH,
      close: LONG_ZH,
      fields: [
        {
          id: 'member',
          label: LONG_ZH,
          kind: 'select',
          optional: false,
          options: Array.from({ length: 300 }, (_, i) => ({ value: `m${i}`, label: `${LONG_ZH}${i}` })),
        },
      ],
      errors: { member: LONG_ZH },
      carries: { lead: 1 },
    };
    expectWithinLark(buildFormCard(assign));
    const modal = buildFormModal(assign);
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
    expect(JSON.stringify(modal.blocks).match(/"value":"m\d+"/g)).toHaveLength(100);
    console.log(`worst-case sizes per view:\n  ${figures.join('\n  ')}`);
  });
});
