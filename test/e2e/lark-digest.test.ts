import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { cardClick, postLarkCallback } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_MANAGER, postLead, teamsYaml } from '../support/leadpool.js';

const clock = new ManualClock('2026-11-28T18:00:30Z');
const suite = useLarkSuite({
  clock,
  teams: teamsYaml({ reps: 2, lark: true }).replace('    members:\n', '    digest: { daily: "18:00" }\n    members:\n'),
});

describe('the daily digest in Lark', () => {
  it('reaches the manager as a card, once', async () => {
    await postLead(suite.app, { team: 'alpha', name: 'Lark Digest Lead' });
    expect(await suite.app.runDigests()).toEqual({ sent: 1, late: 0, skipped: 0 });
    expect(await suite.app.runDigests()).toEqual({ sent: 0, late: 0, skipped: 0 });
    await suite.app.relay.drain();
    await suite.app.relay.drain();
    const cards = suite.fake.to(LARK_MANAGER).filter((m) => JSON.stringify(m.card).includes('每日摘要'));
    expect(cards).toHaveLength(1);
    const card = JSON.stringify(cards[0]?.card);
    expect(card).toContain('每日摘要 · Alpha Sales · 2026-11-28');
    expect(card).toContain('新增线索：1');
    expect(card).toContain('公海：1 条未领取');
    // Lark draws the charts natively: the funnel of the day's one lead, and 14 days of trend.
    type Chart = { tag: string; chart_spec: { type: string; data: { values: Record<string, unknown>[] } } };
    const sent = cards[0]?.card as { body: { elements: Chart[] } } | undefined;
    const charts = (sent?.body.elements ?? []).filter((e) => e.tag === 'chart');
    expect(charts.map((c) => c.chart_spec.type)).toEqual(['funnel', 'line']);
    expect(charts[0]?.chart_spec.data.values[0]).toEqual({ stage: '新增线索', count: 1 });
    const trend = charts[1]?.chart_spec.data.values ?? [];
    expect(trend.filter((v) => v.series === '新增线索').map((v) => v.count)).toEqual([...Array(13).fill(0), 1]);
    const answer = await postLarkCallback(
      suite.app.url,
      cardClick({ openId: LARK_MANAGER, value: { action: 'report.funnel', team: 'alpha' } }),
    );
    expect((answer.body.toast as { type: string }).type).toBe('success');
    const funnel = JSON.stringify(suite.fake.to(LARK_MANAGER).at(-1)?.card);
    expect(funnel).toContain('漏斗 · Alpha Sales · 本周');
    expect(funnel).toContain('"tag":"chart"');
  });

  it('reassigns a lead from a digest: the form lists the team, the submit gives the lead away', async () => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'Reassigned Lead' });
    const { id } = (await res.json()) as { id: number };
    const click = (value: Record<string, string>, formValue?: Record<string, unknown>) =>
      postLarkCallback(suite.app.url, cardClick({ openId: LARK_MANAGER, value, ...(formValue ? { formValue } : {}) }));
    const opened = await click({ action: 'lead.assign.open', lead: String(id) });
    const form = JSON.stringify((opened.body.card as { data: unknown }).data);
    expect(form).toContain('lead.assign.submit');
    expect(form).toContain('Rep 0');
    const rep1 = await suite.app.db.prisma.member.findFirstOrThrow({ where: { displayName: 'Rep 1' } });
    const done = await click({ action: 'lead.assign.submit', lead: String(id) }, { member: rep1.id });
    expect((done.body.toast as { type: string }).type).toBe('success');
    expect(await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({
      ownerId: rep1.id,
      status: 'owned',
    });
  });
});
