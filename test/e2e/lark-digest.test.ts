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
    const answer = await postLarkCallback(
      suite.app.url,
      cardClick({ openId: LARK_MANAGER, value: { action: 'report.funnel', team: 'alpha' } }),
    );
    expect((answer.body.toast as { type: string }).type).toBe('success');
    expect(JSON.stringify(suite.fake.to(LARK_MANAGER).at(-1)?.card)).toContain('漏斗 · Alpha Sales · 本周');
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
