import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { cardClick, postLarkCallback, signedLarkRequest, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_APP, LARK_CHAT, LARK_MANAGER, larkRepId, postLead, rowCounts, teamsYaml } from '../support/leadpool.js';

const MINUTE = 60_000;
const clock = new ManualClock(new Date());
const suite = useLarkSuite({
  clock,
  teams: teamsYaml({ reps: 200, lark: true, followUp: '10m', remindBefore: '2m', cooldown: '1h' }),
});

let leadSeq = 0;
async function newLead(fields: Record<string, unknown> = {}): Promise<number> {
  const res = await postLead(suite.app, {
    team: 'alpha',
    name: `Li Na ${++leadSeq}`,
    company: 'Huaxin Ltd',
    ...fields,
  });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: number };
  await suite.app.relay.drain();
  return id;
}

const send = (payload: unknown) => postLarkCallback(suite.app.url, payload);
const claim = (openId: string, leadId: number, eventId?: string) =>
  send(cardClick({ openId, value: { action: 'lead.claim', lead: String(leadId) }, chatId: LARK_CHAT, eventId }));
const toastOf = (answer: { body: Record<string, unknown> }) => answer.body.toast as { type: string; content: string };
const textOf = (card: Record<string, unknown>) => JSON.stringify(card);

async function ownerOpenId(leadId: number): Promise<string | null> {
  const lead = await suite.app.db.prisma.lead.findUnique({
    where: { id: leadId },
    include: { owner: { include: { identities: true } } },
  });
  return lead?.owner?.identities.find((i) => i.messenger === 'lark')?.externalId ?? null;
}

describe('Lark HTTP callbacks', () => {
  it('answers the url_verification challenge', async () => {
    const answer = await send({ type: 'url_verification', challenge: 'ch-42', token: LARK_APP.token });
    expect(answer).toEqual({ status: 200, body: { challenge: 'ch-42' } });
  });

  it('refuses a bad signature, a stale request and a wrong token with 401, changing nothing', async () => {
    const id = await newLead();
    const before = await rowCounts(suite.app);
    const click = cardClick({ openId: larkRepId(0), value: { action: 'lead.claim', lead: String(id) } });
    const good = signedLarkRequest(click, LARK_APP.key);
    const forged = { ...good, signature: '0'.repeat(64) };
    const stale = signedLarkRequest(click, LARK_APP.key, Date.now() - 6 * MINUTE);
    const wrongToken = cardClick({ openId: larkRepId(0), value: { action: 'lead.claim', lead: String(id) } });
    (wrongToken.header as Record<string, unknown>).token = 'not-the-token';
    for (const answer of [
      await postLarkCallback(suite.app.url, click, forged),
      await postLarkCallback(suite.app.url, click, stale),
      await send(wrongToken),
    ])
      expect(answer.status).toBe(401);
    expect(await rowCounts(suite.app)).toEqual(before);
    expect(await ownerOpenId(id)).toBeNull();
  });
});

describe('lead cards in the team chat', () => {
  it('posts a shared Card JSON 2.0 card with a Claim button and masked contact, and records where it is', async () => {
    suite.fake.reset();
    const id = await newLead({ email: 'li.na@huaxin.example', phone: '+86 139 1234 5678' });
    const [post] = suite.fake.to(LARK_CHAT);
    expect(post?.receiveIdType).toBe('chat_id');
    expect(post?.card).toMatchObject({ schema: '2.0', config: { update_multi: true } });
    const text = textOf(post?.card ?? {});
    expect(text).toContain(`L-${id}`);
    expect(text).toContain(`"behaviors":[{"type":"callback","value":{"action":"lead.claim","lead":"${id}"}}]`);
    expect(text).not.toContain('li.na@huaxin.example');
    expect(text).not.toContain('12345678');
    const stored = await suite.app.db.prisma.leadPost.findUnique({
      where: { leadId_messenger: { leadId: id, messenger: 'lark' } },
    });
    expect(stored?.messageId).toBe(post?.messageId);
  });

  it('shows lead text exactly as typed: no markdown, no mentions', async () => {
    suite.fake.reset();
    await newLead({ name: '**Boss** <at id=all></at> [x](http://evil.example)' });
    const card = suite.fake.to(LARK_CHAT)[0]?.card ?? {};
    const texts = JSON.stringify(card).match(/"tag":"(markdown|lark_md)"/g);
    expect(texts).toBeNull();
    expect(textOf(card)).toContain('**Boss** <at id=all></at>');
  });

  it('200 concurrent clicks on one lead: one owner, 199 clear refusals as toasts, the card updated in place', async () => {
    const id = await newLead();
    suite.fake.reset();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => claim(larkRepId(i), id)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const won = answers.filter((a) => toastOf(a).type === 'success');
    const refused = answers.filter((a) => toastOf(a).type === 'warning');
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(199);
    const owner = await ownerOpenId(id);
    expect(owner).not.toBeNull();
    expect(refused.every((a) => /Too late: this lead was already claimed by Rep \d+\./.test(toastOf(a).content))).toBe(
      true,
    );
    expect(textOf((won[0]?.body.card as Record<string, unknown>) ?? {})).toContain('Claimed by');
    expect(await suite.app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'claimed' } })).toBe(1);
    await suite.app.relay.drain();
    const post = await suite.app.db.prisma.leadPost.findUniqueOrThrow({
      where: { leadId_messenger: { leadId: id, messenger: 'lark' } },
    });
    expect(suite.fake.patches.filter((p) => p.messageId === post.messageId)).toHaveLength(1);
    const dm = suite.fake.to(owner ?? '');
    expect(dm).toHaveLength(1);
    expect(dm[0]?.receiveIdType).toBe('open_id');
    expect(textOf(dm[0]?.card ?? {})).toContain(`You claimed L-${id}`);
  });

  it('a click Lark pushes again (same event_id) changes nothing', async () => {
    const id = await newLead();
    const first = await claim(larkRepId(3), id, `ev_replay_${id}`);
    expect(toastOf(first).type).toBe('success');
    const before = await rowCounts(suite.app);
    const again = await claim(larkRepId(3), id, `ev_replay_${id}`);
    expect(toastOf(again)).toEqual({ type: 'warning', content: 'Already done: this request was handled before.' });
    expect(await rowCounts(suite.app)).toEqual(before);
  });

  it('re-posts a card too old for Lark to edit (14 days), and edits the new copy from then on', async () => {
    const id = await newLead();
    const first = await suite.app.db.prisma.leadPost.findUniqueOrThrow({
      where: { leadId_messenger: { leadId: id, messenger: 'lark' } },
    });
    await suite.app.db.prisma
      .$executeRaw`UPDATE lead_post SET posted_at = now() - interval '15 days' WHERE lead_id = ${id}`;
    suite.fake.reset();
    await claim(larkRepId(60), id);
    await suite.app.relay.drain();
    const reposted = suite.fake.to(LARK_CHAT).filter((m) => textOf(m.card).includes(`L-${id}`));
    expect(reposted).toHaveLength(1);
    expect(suite.fake.patches.filter((p) => p.messageId === first.messageId)).toHaveLength(0);
    const now = await suite.app.db.prisma.leadPost.findUniqueOrThrow({
      where: { leadId_messenger: { leadId: id, messenger: 'lark' } },
    });
    expect(now.messageId).toBe(reposted[0]?.messageId);
  });

  it('keeps to 5 messages a second per chat when many cards go to one chat at once', async () => {
    await suite.app.relay.drain();
    suite.fake.reset();
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postLead(suite.app, { team: 'alpha', name: `Burst ${i}` }).then(
          async (r) => ((await r.json()) as { id: number }).id,
        ),
      ),
    );
    await suite.app.relay.drain();
    const sends = suite.fake.calls.filter(
      (c) => c.path === '/open-apis/im/v1/messages' && c.body.receive_id === LARK_CHAT,
    );
    expect(sends).toHaveLength(ids.length);
    const times = sends.map((c) => c.at).sort((a, b) => a - b);
    // The sender spreads any 6 sends in a row over 1.1 s. Between a chat's turn and its send come the
    // app's two bookings, whose round trips on a busy CI machine have moved a send by up to 0.22 s
    // (885 ms seen), so 0.8 s is asserted: the pace up to that noise. Without the limiter all 12
    // arrive within a few milliseconds.
    for (let i = 5; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 5] ?? 0)).toBeGreaterThanOrEqual(800);
  });

  it('goes on after a rate-limit answer (99991400): the card still arrives, once', async () => {
    await suite.app.relay.drain();
    suite.fake.reset();
    suite.fake.rateLimitNext = 1;
    const id = await newLead();
    expect(suite.fake.to(LARK_CHAT).filter((m) => textOf(m.card).includes(`L-${id}`))).toHaveLength(1);
    const tries = suite.fake.calls.filter(
      (c) => c.path === '/open-apis/im/v1/messages' && c.body.receive_id === LARK_CHAT,
    );
    expect(tries).toHaveLength(2);
  });
});

describe('text commands, reminders, reclaim and the duplicate handshake', () => {
  it("logs a follow-up from a Chinese text command and lists the rep's leads, replying in the DM", async () => {
    const id = await newLead();
    const rep = larkRepId(10);
    expect(toastOf(await claim(rep, id)).type).toBe('success');
    await suite.app.relay.drain();
    suite.fake.reset();
    const command = textMessage({ openId: rep, text: `跟进 L-${id} call 已电话沟通` });
    expect((await send(command)).status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 1, 'follow-up reply');
    expect(textOf(suite.fake.to(`oc_p2p_${rep}`)[0]?.card ?? {})).toContain(`L-${id}`);
    expect(await suite.app.db.prisma.followUp.count({ where: { leadId: id, note: '已电话沟通' } })).toBe(1);
    // 下次: brings the deadline forward to a time read in the team's zone.
    await send(textMessage({ openId: rep, text: `跟进 L-${id} visit 已拜访 下次：明天上午10点` }));
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 2, 'second follow-up reply');
    const next = await suite.app.db.prisma.followUp.findFirstOrThrow({ where: { leadId: id, note: '已拜访' } });
    expect(next.nextContactAt).not.toBeNull();
    const due = (await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).followUpDueAt;
    expect(due?.getTime()).toBeLessThanOrEqual(next.nextContactAt?.getTime() ?? 0);
    // Lark pushes the same event again: nothing is logged twice, and the reply is not sent twice.
    const before = await rowCounts(suite.app);
    expect((await send(command)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rowCounts(suite.app)).toEqual(before);
    expect(suite.fake.to(`oc_p2p_${rep}`)).toHaveLength(2);
    await send(textMessage({ openId: rep, text: '我的 逾期' }));
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 3, 'overdue list');
    // A Chinese command word is answered in Chinese; an English one in the rep's own language.
    expect(textOf(suite.fake.to(`oc_p2p_${rep}`)[2]?.card ?? {})).toContain('没有逾期的线索');
    await send(textMessage({ openId: rep, text: `show L-${id}` }));
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 4, 'lead details');
    expect(textOf(suite.fake.to(`oc_p2p_${rep}`)[3]?.card ?? {})).toMatch(/Follow-ups \(2\):.*History:/);
    // In a group the list goes to the sender's DM, not to the whole chat.
    await send(textMessage({ openId: rep, text: '@_user_1 我的', chatType: 'group' }));
    await suite.fake.waitFor(() => suite.fake.to(rep).length === 1, 'my leads in DM');
    expect(textOf(suite.fake.to(rep)[0]?.card ?? {})).toContain(`L-${id}`);
    expect(suite.fake.to(LARK_CHAT)).toHaveLength(0);
  });

  it('DMs a reminder before the deadline, then reclaims: owner and manager told, card back in the pool', async () => {
    const id = await newLead();
    const rep = larkRepId(20);
    await claim(rep, id);
    await suite.app.relay.drain();
    suite.fake.reset();
    clock.advance(8 * MINUTE + 1000);
    expect((await suite.app.runSlaSweep()).reminded).toBeGreaterThanOrEqual(1);
    await suite.app.relay.drain();
    expect(suite.fake.to(rep).filter((m) => textOf(m.card).includes('Reminder'))).toHaveLength(1);
    clock.advance(2 * MINUTE);
    expect((await suite.app.runSlaSweep()).reclaimed).toBeGreaterThanOrEqual(1);
    await suite.app.relay.drain();
    expect(await ownerOpenId(id)).toBeNull();
    expect(
      suite.fake.to(rep).some((m) => textOf(m.card).includes(`L-${id}`) && !textOf(m.card).includes('Reminder')),
    ).toBe(true);
    expect(suite.fake.to(LARK_MANAGER).some((m) => textOf(m.card).includes(`L-${id}`))).toBe(true);
    const post = await suite.app.db.prisma.leadPost.findUniqueOrThrow({
      where: { leadId_messenger: { leadId: id, messenger: 'lark' } },
    });
    const last = suite.fake.patches.filter((p) => p.messageId === post.messageId).at(-1);
    expect(textOf(last?.card ?? {})).toContain('"action":"lead.claim"');
    // Cooldown: the old owner is refused with a toast.
    expect(toastOf(await claim(rep, id)).content).toMatch(/reclaimed from you/);
  });

  it('asks the owner about a likely duplicate; "Mine" attaches it, and the question card is replaced', async () => {
    const email = `dup.${Date.now()}@example.com`;
    const first = await newLead({ email });
    const rep = larkRepId(30);
    await claim(rep, first);
    await suite.app.relay.drain();
    suite.fake.reset();
    const res = await postLead(suite.app, { team: 'alpha', name: 'Li Na again', email });
    const dup = (await res.json()) as { id: number; status: string };
    expect(dup.status).toBe('awaiting_owner');
    await suite.app.relay.drain();
    const question = suite.fake.to(rep)[0];
    expect(textOf(question?.card ?? {})).toContain('lead.duplicate.mine');
    const answer = await send(
      cardClick({
        openId: rep,
        value: { action: 'lead.duplicate.mine', lead: String(dup.id) },
        messageId: question?.messageId,
      }),
    );
    expect(toastOf(answer).type).toBe('success');
    expect(textOf((answer.body.card as Record<string, unknown>) ?? {})).toContain(`L-${first}`);
    const stored = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: dup.id } });
    expect(stored).toMatchObject({ status: 'merged', duplicateOfId: first });
    // Someone else pressing the same button is refused.
    const other = await send(
      cardClick({ openId: larkRepId(31), value: { action: 'lead.duplicate.release', lead: String(dup.id) } }),
    );
    expect(toastOf(other).type).toBe('warning');
  });

  it('answers the bot menu: "My leads" lists the rep\'s open leads in a DM', async () => {
    const rep = larkRepId(50);
    const id = await newLead();
    await claim(rep, id);
    await suite.app.relay.drain();
    suite.fake.reset();
    const menu = {
      schema: '2.0',
      header: {
        event_id: `ev_menu_${id}`,
        token: LARK_APP.token,
        event_type: 'application.bot.menu_v6',
        app_id: LARK_APP.id,
      },
      event: { operator: { operator_id: { open_id: rep } }, event_key: 'my_leads', timestamp: Date.now() },
    };
    expect((await send(menu)).status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.to(rep).length === 1, 'my leads from the bot menu');
    expect(textOf(suite.fake.to(rep)[0]?.card ?? {})).toContain(`L-${id}`);
  });

  it('adds a lead from the "新线索" form card', async () => {
    const rep = larkRepId(40);
    suite.fake.reset();
    await send(textMessage({ openId: rep, text: '新线索' }));
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 1, 'form card');
    const form = suite.fake.to(`oc_p2p_${rep}`)[0];
    expect(textOf(form?.card ?? {})).toContain('"tag":"form"');
    const submit = (formValue: Record<string, unknown>) =>
      send(
        cardClick({
          openId: rep,
          value: { action: 'lead.new.submit', team: 'alpha' },
          messageId: form?.messageId,
          formValue,
        }),
      );
    const bad = await submit({ name: 'Wang Fang', email: 'not-an-email' });
    expect(toastOf(bad)).toMatchObject({ type: 'warning' });
    expect(toastOf(bad).content).toMatch(/email/);
    const good = await submit({ name: 'Wang Fang', company: 'Acme', email: 'wang@acme.example' });
    expect(toastOf(good).type).toBe('success');
    expect(await suite.app.db.prisma.lead.count({ where: { name: 'Wang Fang' } })).toBe(1);
  });
});
