import { describe, expect, it } from 'vitest';
import type { LeadCardData } from '../../src/domain/leads/lead-read-model.js';
import { buildBurstCard, LARK_BURST_PAGE } from '../../src/messengers/lark/views/burst-card.card.js';
import { burstPages } from '../../src/messengers/shared/burst-pages.js';
import { presentBurstPage } from '../../src/messengers/shared/presenters/burst-card.presenter.js';
import { buildBurstCardBlocks, SLACK_BURST_PAGE } from '../../src/messengers/slack/views/burst-card.blocks.js';
import { testLead, testTeam } from '../support/fixtures.js';

const long = (unit: string, length: number) => unit.repeat(length);
/** Leads as long as intake lets them be, in Chinese (3 bytes a character), each owned by a long-named rep. */
function verboseLeads(count: number): LeadCardData[] {
  return Array.from({ length: count }, (_, i) => ({
    lead: testLead({
      id: 900_000 + i,
      status: i % 2 === 0 ? 'owned' : 'pooled',
      name: long('张', 200),
      company: long('华', 200),
      region: long('东', 100),
      source: 'web_form',
      subSource: long('源', 100),
      campaign: long('活', 100),
    }),
    owner: { id: 'm', teamId: 'alpha', displayName: long('王', 100), role: 'rep', locale: 'zh-CN', active: true },
    returnedFrom: null,
    related: [],
  }));
}

describe('summary cards', () => {
  it('keep a page of the longest Chinese leads inside Slack’s limits', () => {
    const team = testTeam({ locale: 'zh-CN' });
    const view = presentBurstPage(verboseLeads(SLACK_BURST_PAGE), team, { part: 1, parts: 3 });
    const message = buildBurstCardBlocks(view);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(message.text.length).toBeLessThanOrEqual(3000);
    for (const block of message.blocks) {
      const text = (block as { text?: { text: string } }).text?.text ?? '';
      expect(text.length).toBeLessThanOrEqual(block.type === 'header' ? 150 : 3000);
    }
    expect((message.blocks[0] as { text: { text: string } }).text.text).toBe('40 条新线索（第 1/3 部分）');
    const buttons = message.blocks.filter((b) => (b as { accessory?: unknown }).accessory);
    expect(buttons).toHaveLength(SLACK_BURST_PAGE / 2); // the pooled half
  });

  it('keep a page of the longest Chinese leads inside Lark’s 30 KB a card', () => {
    const team = testTeam({ locale: 'zh-CN' });
    const card = buildBurstCard(presentBurstPage(verboseLeads(LARK_BURST_PAGE), team, { part: 2, parts: 2 }));
    const bytes = Buffer.byteLength(JSON.stringify(card));
    expect(bytes).toBeLessThan(30 * 1024);
    // And it is not trivially small: every line is there, cut where it is too long.
    expect(bytes).toBeGreaterThan(15 * 1024);
    expect(JSON.stringify(card)).toContain('已被 王王王');
    expect(JSON.stringify(card).match(/"action":"lead\.claim"/g)).toHaveLength(7);
  });

  it('pages a burst the same way every time, oldest first, as evenly as the page size allows', () => {
    const ids = Array.from({ length: 95 }, (_, i) => i + 1);
    const pages = burstPages(ids, 40);
    expect(pages.map((p) => [p.ids[0], p.ids.at(-1), p.part, p.parts])).toEqual([
      [1, 32, 1, 3],
      [33, 64, 2, 3],
      [65, 95, 3, 3],
    ]);
    expect(burstPages([], 40)).toEqual([]);
    // Never a lone lead on a last page: 41 leads are 21 and 20, not 40 and 1.
    expect(burstPages(ids.slice(0, 41), 40).map((p) => p.ids.length)).toEqual([21, 20]);
    for (let n = 2; n <= 200; n++)
      expect(Math.min(...burstPages(ids.concat(ids, ids).slice(0, n), 40).map((p) => p.ids.length))).toBeGreaterThan(1);
  });
});
