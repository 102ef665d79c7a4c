/**
 * A burst of new leads reads as one summary card with a Claim button per lead, through the real
 * app, outbox and SDKs against fake Slack and Lark APIs, on a controllable clock: the window's
 * first leads get cards of their own, the rest come in one summary when the window ends, in pages
 * that keep to the messengers' limits, and a claim from the summary edits that summary.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import type { SlackCall } from '../support/fake-slack.js';
import { cardClick, postLarkCallback } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { INTAKE_KEY, LARK_CHAT, larkRepId, postLead, repId, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const WINDOW = 10_000;
const BURST = '{ after: 2, within: 10s }';
/** A live mention, broadcast or link in Slack text. */
const LIVE = /<[!@#]|<https?:|<mailto:/;

type Block = { type: string; block_id?: string; text?: { text: string }; accessory?: { value: string } };
const blocksOf = (call: SlackCall | undefined): Block[] => {
  const blocks = call?.body.blocks;
  return (typeof blocks === 'string' ? JSON.parse(blocks) : (blocks ?? [])) as Block[];
};
const metadataOf = (call: SlackCall | undefined) => {
  const metadata = call?.body.metadata;
  return (typeof metadata === 'string' ? JSON.parse(metadata) : metadata) as {
    event_type: string;
    event_payload: { leads?: string };
  };
};

describe('summary cards in Slack', () => {
  // Just after a window starts, so each step below stays inside its window.
  const clock = new ManualClock(new Date(Math.ceil(Date.now() / WINDOW) * WINDOW + 1_000));
  const suite = useSlackSuite(teamsYaml({ reps: 2, cardBurst: BURST }), { clock, poolSize: 5 });

  const posts = () => suite.fake.to('chat.postMessage', 'C0ALPHA');
  const summaries = () => posts().filter((c) => metadataOf(c)?.event_type === 'leadpool_burst');
  const newLead = async (name: string) =>
    ((await (await postLead(suite.app, { team: 'alpha', name })).json()) as { id: number }).id;

  it('posts the first two cards at once and the other five as one summary when the window ends', async () => {
    const ids: number[] = [];
    for (const name of ['Ada', 'Ben', 'Cai', '<!channel> <https://evil.example|Verify>', 'Dee', 'Eve', 'Fay'])
      ids.push(await newLead(name));
    await suite.app.relay.drain();
    expect(posts()).toHaveLength(2);
    expect(summaries()).toHaveLength(0);

    clock.advance(WINDOW);
    await suite.app.relay.drain();
    expect(posts()).toHaveLength(3);
    const [summary] = summaries();
    expect(metadataOf(summary).event_payload.leads).toBe(ids.slice(2).join(','));
    const blocks = blocksOf(summary);
    expect(blocks[0]?.text?.text).toBe('5 new leads');
    const lines = blocks.filter((b) => b.block_id?.startsWith('burst_lead_'));
    expect(lines.map((b) => b.accessory?.value)).toEqual(ids.slice(2).map(String));
    expect(lines[1]?.text?.text).toContain('&lt;!channel&gt;');
    expect(LIVE.test(JSON.stringify(blocks))).toBe(false);
    expect(LIVE.test(String(summary?.body.text))).toBe(false);
  });

  it('edits the summary when a lead on it is claimed: that line names the owner and loses its button', async () => {
    const [summary] = summaries();
    const ts = suite.fake.history
      .get('C0ALPHA')
      ?.find((m) => m.metadata && JSON.stringify(m.metadata).includes('leadpool_burst'))?.ts;
    const claimed = Number(blocksOf(summary).find((b) => b.block_id?.startsWith('burst_lead_'))?.accessory?.value);
    const click = signedForm(claimClick(repId(1), claimed, suite.fake.responseUrl('burst')));
    expect((await postSigned(`${suite.app.url}/slack/events`, click)).status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.to('chat.postMessage', repId(1)).length > 0, 'the claim DM');
    await suite.app.relay.drain();
    const edit = suite.fake
      .of('chat.update')
      .filter((c) => c.body.ts === ts)
      .at(-1);
    expect(edit).toBeDefined();
    const lines = blocksOf(edit).filter((b) => b.block_id?.startsWith('burst_lead_'));
    expect(lines).toHaveLength(5);
    expect(lines[0]?.accessory).toBeUndefined();
    expect(lines[0]?.text?.text).toContain('Claimed by Rep 1.');
    expect(lines.slice(1).every((b) => b.accessory)).toBe(true);
    // The click's own reply replaced the summary page with the same redrawn page, not a single card.
    const replaced = suite.fake.of('respond:/respond/burst');
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.body.replace_original).toBe(true);
    expect(JSON.stringify(replaced[0]?.body.blocks)).toBe(JSON.stringify(edit?.body.blocks));
    // No card of its own was posted for the claimed lead.
    expect(posts()).toHaveLength(3);
  });

  it('splits a big burst into pages that keep to Slack’s 50 blocks', async () => {
    clock.advance(WINDOW);
    const leads = Array.from({ length: 47 }, (_, i) => ({ team: 'alpha', name: `Batch ${i}`, company: `Co ${i}` }));
    const res = await fetch(`${suite.app.url}/api/leads/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leads }),
    });
    expect(res.status).toBe(200);
    await suite.app.relay.drain();
    clock.advance(WINDOW);
    await suite.app.relay.drain();
    const pages = summaries().slice(1);
    expect(pages.map((p) => blocksOf(p)[0]?.text?.text)).toEqual(['23 new leads (1 of 2)', '22 new leads (2 of 2)']);
    expect(blocksOf(pages[0]).length).toBeLessThanOrEqual(50);
    const shown = pages.flatMap((p) =>
      blocksOf(p)
        .filter((b) => b.accessory)
        .map((b) => b.accessory?.value),
    );
    expect(new Set(shown).size).toBe(45);
    const recorded = await suite.app.db.prisma.leadPost.count({
      where: { messenger: 'slack', burstId: { not: null } },
    });
    expect(recorded).toBe(50);
  });

  it('posts a lone lead past the threshold as its own card once the burst pauses, not as a summary of one', async () => {
    clock.advance(WINDOW);
    const before = posts().length;
    const ids = [await newLead('Gus'), await newLead('Hal'), await newLead('Ivy')];
    await suite.app.relay.drain();
    expect(posts()).toHaveLength(before + 2);
    // Nothing else arrives: the third goes out after the lull (under 2 s for a 10 s window), not at the window's end.
    clock.advance(2_000);
    await suite.app.relay.drain();
    const third = posts().at(-1);
    expect(posts()).toHaveLength(before + 3);
    expect(metadataOf(third).event_type).toBe('leadpool_card');
    expect(JSON.stringify(blocksOf(third))).not.toMatch(/new leads?\b/);
    expect(JSON.stringify(blocksOf(third))).toContain(`"value":"${ids[2]}"`);
    // It is that lead's own card from now on: a claim edits it like any other.
    const post = await suite.app.db.prisma.leadPost.findFirst({ where: { leadId: ids[2], messenger: 'slack' } });
    expect(post?.burstId).toBeNull();
  });
});

describe('summary cards in Lark', () => {
  const clock = new ManualClock(new Date(Math.ceil(Date.now() / WINDOW) * WINDOW + 1_000));
  const suite = useLarkSuite({ clock, teams: teamsYaml({ reps: 2, lark: true, cardBurst: BURST }) });
  const summaryCards = () => suite.fake.to(LARK_CHAT).filter((m) => JSON.stringify(m.card).includes('new leads'));

  it('sends one summary card with a Claim button per lead, and a claim from it answers with that summary redrawn', async () => {
    const ids: number[] = [];
    for (const name of ['Gao', 'Hu', 'Jin', 'Kong']) {
      const res = await postLead(suite.app, { team: 'alpha', name });
      ids.push(((await res.json()) as { id: number }).id);
    }
    await suite.app.relay.drain();
    expect(suite.fake.to(LARK_CHAT)).toHaveLength(2);
    clock.advance(WINDOW);
    await suite.app.relay.drain();
    const [summary] = summaryCards();
    expect(summary).toBeDefined();
    const buttons = JSON.stringify(summary?.card).match(/"action":"lead\.claim","lead":"\d+"/g) ?? [];
    expect(buttons).toEqual(ids.slice(2).map((id) => `"action":"lead.claim","lead":"${id}"`));

    const answer = await postLarkCallback(
      suite.app.url,
      cardClick({ openId: larkRepId(1), value: { action: 'lead.claim', lead: String(ids[2]) }, chatId: LARK_CHAT }),
    );
    expect((answer.body.toast as { type: string }).type).toBe('success');
    const redrawn = JSON.stringify((answer.body.card as { data: unknown }).data);
    expect(redrawn).toContain('2 new leads');
    expect(redrawn).toContain('Claimed by Rep 1.');
    expect(redrawn).toContain(`"lead":"${ids[3]}"`);
    expect(redrawn).not.toContain(`"lead":"${ids[2]}"`);
    await suite.app.relay.drain();
    expect(suite.fake.patches.some((p) => p.messageId === summary?.messageId)).toBe(true);
    expect(suite.fake.to(LARK_CHAT)).toHaveLength(3);
  });
});
