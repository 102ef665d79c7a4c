import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeLark } from '../support/fake-lark.js';
import { FakeSlack } from '../support/fake-slack.js';
import { cardClick, postLarkCallback, textMessage } from '../support/lark-requests.js';
import { LARK_CHAT, larkRepId, postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { until } from '../support/until.js';

let db: TestDatabase;
let slack: FakeSlack;
let lark: FakeLark;
let app: Leadpool;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  db = await createTestDatabase();
  slack = new FakeSlack();
  lark = new FakeLark();
  await Promise.all([slack.start(), lark.start()]);
  app = await startTestLeadpool({
    databaseUrl: db.url,
    slackApiUrl: slack.apiUrl,
    lark: { url: lark.url, transport: 'http' },
    clock,
    teams: teamsYaml({ reps: 4, lark: true }),
  });
});

afterAll(async () => {
  await app?.stop();
  await Promise.all([slack?.stop(), lark?.stop()]);
  await db?.drop();
});

let seq = 0;
async function newLead(): Promise<number> {
  const res = await postLead(app, { team: 'alpha', name: `Parity ${++seq}`, company: `Firm ${seq}` });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const slackPost = (fields: Record<string, string>) => postSigned(`${app.url}/slack/events`, signedForm(fields));

/** What a lead ended as, with member ids kept: the same person must be the same member on both. */
async function stateOf(leadId: number) {
  const lead = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } });
  const events = await app.db.prisma.leadEvent.findMany({ where: { leadId }, orderBy: { id: 'asc' } });
  const followUps = await app.db.prisma.followUp.findMany({ where: { leadId }, orderBy: { id: 'asc' } });
  return {
    lead: { status: lead.status, stage: lead.stage, ownerId: lead.ownerId, due: lead.followUpDueAt },
    events: events.map((e) => ({
      action: e.action,
      actor: e.actorId,
      kind: e.actorKind,
      from: e.fromOwnerId,
      to: e.toOwnerId,
      reason: e.reason,
    })),
    followUps: followUps.map((f) => ({ member: f.memberId, method: f.method, note: f.note })),
  };
}

describe('one engine, two messengers', () => {
  it('a claim and a follow-up end in the same state and audit rows whether done in Slack or in Lark', async () => {
    const [viaSlack, viaLark] = [await newLead(), await newLead()];
    await app.relay.drain();

    expect((await slackPost(claimClick(repId(1), viaSlack, slack.responseUrl('p1')))).status).toBe(200);
    const claimed = await postLarkCallback(
      app.url,
      cardClick({ openId: larkRepId(1), value: { action: 'lead.claim', lead: String(viaLark) }, chatId: LARK_CHAT }),
    );
    expect((claimed.body.toast as { type: string }).type).toBe('success');
    const waitOwned = (id: number) =>
      until(
        async () => (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status === 'owned',
        'the claim',
      );
    await waitOwned(viaSlack);

    await slackPost(slashCommand(repId(1), `log ${viaSlack} call Agreed on a demo`, slack.responseUrl('p2')));
    await postLarkCallback(
      app.url,
      textMessage({ openId: larkRepId(1), text: `跟进 ${viaLark} call Agreed on a demo` }),
    );
    const logged = () => app.db.prisma.followUp.count({ where: { leadId: { in: [viaSlack, viaLark] } } });
    await until(async () => (await logged()) === 2, 'both follow-ups');

    const [a, b] = [await stateOf(viaSlack), await stateOf(viaLark)];
    expect(a.lead.ownerId).not.toBeNull();
    expect(b).toEqual(a);
    expect(a.events.map((e) => e.action)).toEqual(['created', 'claimed', 'followed_up']);
    expect(a.followUps).toHaveLength(1);
  });

  it('with Slack failing, Lark cards still go out; the Slack ones follow once it recovers, each exactly once', async () => {
    await app.relay.drain();
    slack.failures.set('chat.postMessage', ['internal_error', 'internal_error', 'internal_error']);
    slack.reset();
    lark.reset();
    const id = await newLead();
    await app.relay.drain();
    const larkCards = () => lark.to(LARK_CHAT).filter((m) => JSON.stringify(m.card).includes(`L-${id}`));
    const slackCards = () =>
      slack.to('chat.postMessage', 'C0ALPHA').filter((c) => JSON.stringify(c.body.blocks ?? '').includes(`L-${id}`));
    expect(larkCards()).toHaveLength(1);
    expect(slackCards()).toHaveLength(1); // the one failed attempt
    expect(await app.db.prisma.leadPost.count({ where: { leadId: id, messenger: 'slack' } })).toBe(0);

    slack.failures.delete('chat.postMessage');
    clock.advance(10 * 60_000);
    await app.relay.drain();
    expect(await app.db.prisma.leadPost.count({ where: { leadId: id } })).toBe(2);
    expect(slackCards()).toHaveLength(2); // one failed, one delivered
    expect(larkCards()).toHaveLength(1);
    clock.advance(10 * 60_000);
    await app.relay.drain();
    expect(slackCards()).toHaveLength(2);
    expect(larkCards()).toHaveLength(1);
  });
});
