import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import {
  buttonClick,
  claimClick,
  globalShortcut,
  postSigned,
  signedForm,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.js';

let db: TestDatabase;
let fake: FakeSlack;
let app: Leadpool;
const clock = new ManualClock('2026-03-02T09:00:00Z');
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  app = await startTestLeadpool({
    databaseUrl: db.url,
    slackApiUrl: fake.apiUrl,
    clock,
    teams: teamsYaml({ reps: 5, followUp: '1d', remindBefore: '1h' }),
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await db?.drop();
});

const events = () => `${app.url}/slack/events`;
const send = (fields: Record<string, string>) => postSigned(events(), signedForm(fields));
const leadCount = () => app.db.prisma.lead.count();

type OpenedView = Parameters<typeof viewSubmission>[1];
function lastOpenedView(): OpenedView {
  const call = fake.of('views.open').at(-1);
  expect(call).toBeDefined();
  return call?.body.view as OpenedView;
}

describe('the New lead modal', () => {
  it('opens from /lead new, shows field errors inline, and adds the lead once', async () => {
    fake.reset();
    const res = await send(slashCommand(repId(0), 'new', fake.responseUrl(`m${++seq}`)));
    expect(res.status).toBe(200);
    await fake.waitFor(() => fake.of('views.open').length === 1, 'views.open');
    const view = lastOpenedView();
    expect(view.callback_id).toBe('lead.new.modal');
    // One team: no team question; the team rides in private_metadata.
    expect(view.blocks.map((b) => b.block_id)).toEqual([
      'name',
      'company',
      'title',
      'phone',
      'email',
      'region',
      'need',
      'source',
      'notes',
    ]);
    expect(JSON.parse(view.private_metadata)).toEqual({ team: 'alpha' });

    const before = await leadCount();
    const bad = await send(viewSubmission(repId(0), view, { name: 'Chen Jie', phone: '12', email: 'chen@' }, 'VBAD'));
    expect(bad.status).toBe(200);
    expect(await bad.json()).toEqual({
      response_action: 'errors',
      errors: { phone: 'not a valid phone number', email: 'not a valid e-mail address' },
    });
    expect(await leadCount()).toBe(before);

    const values = {
      name: 'Chen Jie',
      company: 'Lotus Ltd',
      phone: '+86 139 1234 5678',
      source: 'referral',
      need: 'A CRM for 30 reps',
    };
    const good = await send(viewSubmission(repId(0), view, values, 'VGOOD'));
    const answer = (await good.json()) as { response_action: string; view: { blocks: { text: { text: string } }[] } };
    expect(answer.response_action).toBe('update');
    expect(answer.view.blocks[0]?.text.text).toMatch(/^Added L-\d+ to Alpha Sales: 10 points, low priority\./);
    const stored = await app.db.prisma.lead.findFirstOrThrow({ where: { name: 'Chen Jie' } });
    expect(stored).toMatchObject({ phone: '+8613912345678', source: 'referral', status: 'pooled', score: 10 });
    expect(
      await app.db.prisma.leadEvent.count({ where: { leadId: stored.id, action: 'created', reason: 'chat' } }),
    ).toBe(1);
    await app.relay.drain();
    expect(
      fake.to('chat.postMessage', 'C0ALPHA').some((c) => JSON.stringify(c.body.blocks).includes(`L-${stored.id}`)),
    ).toBe(true);

    // Slack retrying the same submission replays the answer and adds nothing.
    const retry = await send(viewSubmission(repId(0), view, values, 'VGOOD'));
    expect(((await retry.json()) as { response_action: string }).response_action).toBe('update');
    expect(await leadCount()).toBe(before + 1);
  });

  it('opens from the global shortcut, and tells an outsider why it will not', async () => {
    fake.reset();
    expect((await send(globalShortcut(repId(1), 'lead.new'))).status).toBe(200);
    await fake.waitFor(() => fake.of('views.open').length === 1, 'views.open from the shortcut');
    const id = `m${++seq}`;
    await send(slashCommand('UOUTSIDER', 'new', fake.responseUrl(id)));
    await fake.waitFor(() => fake.responses().length === 1, 'reply to the outsider');
    expect(String(fake.responses()[0]?.body.text)).toBe(
      'You are not in any team, so you cannot add leads. Ask an admin to add you.',
    );
    expect(fake.of('views.open')).toHaveLength(1);
  });
});

describe('the duplicate handshake with the owner', () => {
  const owner = repId(2);
  let existingId = 0;
  let phoneSeq = 0;
  const phone = '+86 137 0000 0001';

  async function duplicate(): Promise<number> {
    const res = await postLead(app, { team: 'alpha', name: `Dup ${++phoneSeq}`, phone });
    const body = (await res.json()) as { outcome: string; id: number; duplicateOf: { id: number } };
    expect(body).toMatchObject({ outcome: 'awaiting_owner', duplicateOf: { id: existingId } });
    await app.relay.drain();
    return body.id;
  }

  /** The answer replaces the question through the click's response URL; a refusal is an ephemeral beside it. */
  async function answer(userId: string, action: string, leadId: number): Promise<string> {
    const id = `d${++seq}`;
    const ephemerals = () => fake.of('chat.postEphemeral').filter((c) => c.body.user === userId);
    const seen = ephemerals().length;
    await send(buttonClick(userId, action, String(leadId), fake.responseUrl(id), 'D0OWNER'));
    const path = `respond:/respond/${id}`;
    const replaced = () => fake.calls.find((c) => c.method === path);
    await fake.waitFor(() => replaced() !== undefined || ephemerals().length > seen, `answer to ${action}`);
    const reply = replaced();
    if (reply) return `${reply.body.replace_original === true ? 'replace' : 'ephemeral'}: ${String(reply.body.text)}`;
    return `ephemeral: ${String(ephemerals().at(-1)?.body.text)}`;
  }

  /** The owner claims the original and gets the claim DM. */
  async function claim(): Promise<void> {
    fake.reset();
    await send(claimClick(owner, existingId, fake.responseUrl(`c${++seq}`)));
    await fake.waitFor(() => fake.to('chat.postMessage', owner).length > 0, 'claim DM');
  }

  const statusOf = async (id: number) => (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status;

  it('asks the owner by DM with three buttons; only the owner can answer, and only once', async () => {
    const res = await postLead(app, { team: 'alpha', name: 'Original', phone });
    existingId = ((await res.json()) as { id: number }).id;
    await app.relay.drain();
    await claim();
    fake.reset();

    const dupId = await duplicate();
    const [ask] = fake.to('chat.postMessage', owner);
    const blocks = JSON.stringify(ask?.body.blocks);
    expect(blocks).toContain(`your L-${existingId} (Original)`);
    expect(blocks).toContain('+86 137 0000 0001');
    for (const action of ['lead.duplicate.mine', 'lead.duplicate.not_duplicate', 'lead.duplicate.release'])
      expect(blocks).toContain(`"action_id":"${action}","value":"${dupId}"`);

    expect(await answer(repId(3), 'lead.duplicate.mine', dupId)).toBe(
      `ephemeral: Only the owner of L-${existingId} can answer about this possible duplicate.`,
    );
    expect(await statusOf(dupId)).toBe('awaiting_owner');
    expect(await answer(owner, 'lead.duplicate.mine', dupId)).toBe(
      `replace: Kept: L-${dupId} is attached to your L-${existingId}.`,
    );
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id: dupId } })).toMatchObject({
      status: 'merged',
      duplicateOfId: existingId,
    });
    expect(await answer(owner, 'lead.duplicate.release', dupId)).toBe(
      'ephemeral: This possible duplicate was already handled.',
    );
  });

  it('"not a duplicate" pools the new lead with its own card', async () => {
    fake.reset();
    const dupId = await duplicate();
    expect(await answer(owner, 'lead.duplicate.not_duplicate', dupId)).toMatch(/^replace: L-\d+ is a different lead/);
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id: dupId } })).toMatchObject({
      status: 'pooled',
      duplicateOfId: null,
    });
    await app.relay.drain();
    expect(
      fake.to('chat.postMessage', 'C0ALPHA').some((c) => JSON.stringify(c.body.blocks).includes(`L-${dupId}`)),
    ).toBe(true);
  });

  it('"release" returns the owner’s lead to the pool with the duplicate attached', async () => {
    fake.reset();
    const dupId = await duplicate();
    expect(await answer(owner, 'lead.duplicate.release', dupId)).toBe(
      `replace: Released: L-${existingId} is back in the pool, with L-${dupId} attached.`,
    );
    const existing = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: existingId } });
    expect(existing).toMatchObject({ status: 'pooled', ownerId: null });
    expect(
      await app.db.prisma.leadEvent.count({
        where: { leadId: existingId, action: 'released', reason: 'duplicate_release' },
      }),
    ).toBe(1);
    expect(await app.db.prisma.claimBan.count({ where: { leadId: existingId } })).toBe(0);
    await app.relay.drain();
    const update = fake.of('chat.update').find((c) => JSON.stringify(c.body.blocks).includes(`L-${existingId}`));
    expect(JSON.stringify(update?.body.blocks)).toContain('"action_id":"lead.claim"');
  });

  it('pools an unanswered duplicate after the answer time, with a note, and tells the owner', async () => {
    await claim();
    expect(await statusOf(existingId)).toBe('owned');
    fake.reset();
    const dupId = await duplicate();
    expect((await app.runSlaSweep()).duplicatesPooled).toBe(0);
    clock.advance(4 * 3_600_000 + 1000);
    const sweep = await app.runSlaSweep();
    expect(sweep.duplicatesPooled).toBe(1);
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id: dupId } })).toMatchObject({
      status: 'pooled',
      duplicateOfId: existingId,
    });
    await app.relay.drain();
    const card = fake
      .to('chat.postMessage', 'C0ALPHA')
      .find((c) => JSON.stringify(c.body.blocks).includes(`L-${dupId}`));
    expect(JSON.stringify(card?.body.blocks)).toContain(
      `Possible duplicate of L-${existingId}: its owner did not answer in time.`,
    );
    expect(
      fake.to('chat.postMessage', owner).some((c) => String(c.body.text).includes('You did not answer about')),
    ).toBe(true);
  });
});
