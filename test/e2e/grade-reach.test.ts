/**
 * Grade decides reach, through the real app, outbox and Bolt against a fake Slack, on a
 * controllable clock: a good lead's card mentions the qualified reps, each gets a DM they can claim
 * from; poor leads come as the pool's list when its period ends.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import type { SlackCall } from '../support/fake-slack.js';
import { GOOD_LEAD_FIELDS } from '../support/fixtures.js';
import { postLead, repId, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const EVERY = 5 * 60_000;
const POOLS = `      - id: main
        name: Main
        reach: { alert: [good], list: [poor], listEvery: 5m, notify: [Rep 0, Rep 1] }
`;

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { value?: string }[] };
const blocksOf = (call: SlackCall | undefined): Block[] => {
  const blocks = call?.body.blocks;
  return (typeof blocks === 'string' ? JSON.parse(blocks) : (blocks ?? [])) as Block[];
};

describe('grade decides reach, in Slack', () => {
  const clock = new ManualClock(new Date(Math.ceil(Date.now() / EVERY) * EVERY + 1_000));
  const suite = useSlackSuite(teamsYaml({ reps: 3, pools: POOLS }), { clock, poolSize: 5 });
  const channelPosts = () => suite.fake.to('chat.postMessage', 'C0ALPHA');
  const newLead = async (fields: Record<string, string>) =>
    ((await (await postLead(suite.app, { team: 'alpha', ...fields })).json()) as { id: number }).id;

  it('mentions the qualified reps on a good lead’s card and DMs each a Claim button; a claim from the DM wins it', async () => {
    const id = await newLead({ name: 'Grace <!channel>', ...GOOD_LEAD_FIELDS });
    await suite.app.relay.drain();
    const [card] = channelPosts();
    const alert = blocksOf(card).find((b) => b.block_id === 'lead_alert');
    expect(alert?.text?.text).toBe(`*Told first:* <@${repId(0)}> <@${repId(1)}>`);
    // The lead's own text stays inert beside the real mentions.
    expect(JSON.stringify(blocksOf(card))).toContain('&lt;!channel&gt;');
    expect(suite.fake.to('chat.postMessage', repId(2))).toHaveLength(0);
    const dm = suite.fake.to('chat.postMessage', repId(1))[0];
    expect(String(dm?.body.text)).toContain('A good lead just came into the Main pool');
    const claim = blocksOf(dm)
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value === String(id));
    expect(claim).toBeDefined();

    const click = signedForm(claimClick(repId(1), id, suite.fake.responseUrl('dm-claim'), 'D0REP1'));
    expect((await postSigned(`${suite.app.url}/slack/events`, click)).status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.of('respond:/respond/dm-claim').length === 1, 'the card reply');
    await suite.app.relay.drain();
    const owner = await suite.app.db.prisma.lead.findUnique({ where: { id }, include: { owner: true } });
    expect(owner?.owner?.displayName).toBe('Rep 1');
    const edit = suite.fake.of('chat.update').at(-1);
    expect(JSON.stringify(blocksOf(edit))).toContain('Claimed by Rep 1');
    expect(blocksOf(edit).some((b) => b.block_id === 'lead_alert')).toBe(false);
  });

  it('posts poor leads as the pool’s list when the period ends, not a card each', async () => {
    const before = channelPosts().length;
    const ids = [await newLead({ name: 'Pat' }), await newLead({ name: 'Quin' })];
    await suite.app.relay.drain();
    expect(channelPosts()).toHaveLength(before);
    clock.advance(EVERY);
    await suite.app.relay.drain();
    expect(channelPosts()).toHaveLength(before + 1);
    const list = blocksOf(channelPosts().at(-1));
    expect(list[0]?.text?.text).toBe('Main: 2 leads gathered for the list');
    expect(JSON.stringify(list)).toContain(String(ids[1]));
  });
});
