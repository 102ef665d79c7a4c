import { describe, expect, it } from 'vitest';
import { cardClick, postLarkCallback, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_APP, LARK_CHAT, LARK_MANAGER, larkRepId, postLead, rowCounts, teamsYaml } from '../support/leadpool.js';

const suite = useLarkSuite({ teams: teamsYaml({ reps: 3, lark: true, followUp: '1h', remindBefore: '10m' }) });
const send = (payload: unknown) => postLarkCallback(suite.app.url, payload);
const textOf = (card: Record<string, unknown> | undefined) => JSON.stringify(card ?? {});
const toastOf = (answer: { body: Record<string, unknown> }) => answer.body.toast as { type: string; content: string };

let seq = 0;
async function claimed(openId: string, fields: Record<string, unknown> = {}): Promise<number> {
  const res = await postLead(suite.app, { team: 'alpha', name: `Li Lei ${++seq}`, company: 'Huaxin Ltd', ...fields });
  const { id } = (await res.json()) as { id: number };
  await suite.app.relay.drain();
  const answer = await send(
    cardClick({ openId, value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
  );
  expect(toastOf(answer).type).toBe('success');
  await suite.app.relay.drain();
  return id;
}

/** Sends a text command to the bot in a DM and returns the reply card's text. */
async function command(openId: string, text: string): Promise<string> {
  const before = suite.fake.to(`oc_p2p_${openId}`).length;
  expect((await send(textMessage({ openId, text }))).status).toBe(200);
  await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${openId}`).length > before, `reply to ${text}`);
  return textOf(suite.fake.to(`oc_p2p_${openId}`).at(-1)?.card);
}

describe('Log follow-up form (Lark card)', () => {
  it('opens from the lead card into the rep’s chat, shows problems under their fields, then logs', async () => {
    const rep = larkRepId(0);
    const id = await claimed(rep);
    const card = suite.fake.patches.filter((p) => textOf(p.card).includes(`L-${id}`)).at(-1);
    expect(textOf(card?.card)).toContain('lead.follow_up.open');

    const opened = await send(
      cardClick({ openId: rep, value: { action: 'lead.follow_up.open', lead: String(id) }, chatId: LARK_CHAT }),
    );
    expect(toastOf(opened).content).toContain(`The follow-up form for L-${id}`);
    const form = suite.fake.to(rep).at(-1)?.card;
    expect(textOf(form)).toContain('"tag":"form"');
    expect(textOf(form)).toContain('lead.follow_up.submit');

    const before = await rowCounts(suite.app);
    const submit = (formValue: Record<string, unknown>) =>
      send(cardClick({ openId: rep, value: { action: 'lead.follow_up.submit', lead: String(id) }, formValue }));
    const refused = await submit({ method: 'call', note: '已电话沟通', next: '随便什么时候' });
    expect(toastOf(refused).type).toBe('warning');
    const again = textOf((refused.body.card as { data: Record<string, unknown> }).data);
    expect(again).toContain('⚠ Cannot read');
    expect(again).toContain('"default_value":"已电话沟通"');
    expect(await rowCounts(suite.app)).toEqual(before);

    const logged = await submit({
      method: 'visit',
      note: '已拜访',
      outcome: 'meeting_set',
      step: '发报价',
      next: '明天上午10点',
    });
    expect(toastOf(logged).type).toBe('success');
    const stored = await suite.app.db.prisma.followUp.findFirstOrThrow({ where: { leadId: id } });
    expect(stored).toMatchObject({ method: 'visit', outcome: 'meeting_set', nextStep: '发报价' });
  });

  it('refuses to open the form for someone else’s lead', async () => {
    const id = await claimed(larkRepId(1));
    const answer = await send(
      cardClick({
        openId: larkRepId(2),
        value: { action: 'lead.follow_up.open', lead: String(id) },
        chatId: LARK_CHAT,
      }),
    );
    expect(toastOf(answer)).toMatchObject({ type: 'warning' });
    expect(toastOf(answer).content).toContain('is not yours');
  });
});

describe('lifecycle commands to the bot', () => {
  it('converts, closes and reopens in Chinese as in English, answering a Chinese word in Chinese', async () => {
    const rep = larkRepId(2);
    const won = await claimed(rep, { company: 'Lark Win Co' });
    expect(await command(rep, `转化 L-${won} 1.2万 CNY`)).toContain(`L-${won} 已转化。客户：Lark Win Co`);
    const lost = await claimed(rep);
    expect(await command(rep, `丢单 L-${lost} 没预算 明年再说`)).toContain(`L-${lost} 已关闭`);
    expect(await command(LARK_MANAGER, `重开 L-${lost}`)).toContain(`L-${lost} 已重新打开`);
    expect(await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: lost } })).toMatchObject({
      status: 'pooled',
      closeReason: null,
    });
    expect(await suite.app.db.prisma.deal.count({ where: { leadId: won } })).toBe(1);
    const uploads = suite.fake.uploads.length;
    expect(await command(LARK_MANAGER, '导出 本周')).toContain('Alpha Sales 本周的');
    expect(suite.fake.uploads.length).toBe(uploads + 1);
    expect(suite.fake.uploads.at(-1)).toContain('ref,team,name');
    const sent = suite.fake.messages.filter((m) => m.receiveId === LARK_MANAGER && 'file_key' in m.card);
    expect(sent).toHaveLength(1);
    const funnel = await command(LARK_MANAGER, '漏斗 本周');
    expect(funnel).toContain('漏斗 · Alpha Sales · 本周');
    expect(funnel).toContain('已转化 1');
    expect(funnel).toContain('"tag":"chart"');
  });
});

describe('the desk card (bot menu)', () => {
  it('lists the rep’s open leads with buttons, and releases one from it with a reason', async () => {
    const rep = larkRepId(1);
    const id = await claimed(rep, { name: 'Desk Lead' });
    const menu = {
      schema: '2.0',
      header: {
        event_id: `ev_home_${id}`,
        token: LARK_APP.token,
        event_type: 'application.bot.menu_v6',
        app_id: LARK_APP.id,
      },
      event: { operator: { operator_id: { open_id: rep } }, event_key: 'home', timestamp: Date.now() },
    };
    const before = suite.fake.to(rep).length;
    expect((await send(menu)).status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.to(rep).length > before, 'the desk card');
    const desk = textOf(suite.fake.to(rep).at(-1)?.card);
    expect(desk).toContain(`L-${id} Desk Lead`);
    expect(desk).toContain('lead.release.open');

    const shown = await send(cardClick({ openId: rep, value: { action: 'lead.show', lead: String(id) } }));
    expect(toastOf(shown).type).toBe('success');
    expect(textOf(suite.fake.to(rep).at(-1)?.card)).toContain('History:');

    const opened = await send(cardClick({ openId: rep, value: { action: 'lead.release.open', lead: String(id) } }));
    expect(textOf((opened.body.card as { data: Record<string, unknown> }).data)).toContain('lead.release.submit');
    const submit = (reason: string) =>
      send(
        cardClick({ openId: rep, value: { action: 'lead.release.submit', lead: String(id) }, formValue: { reason } }),
      );
    const refused = await submit(' ');
    expect(toastOf(refused).content).toContain('Say why you release');
    expect(await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'owned' });
    expect(toastOf(await submit('duplicate of a customer')).type).toBe('success');
    expect(await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'pooled' });
  });
});
