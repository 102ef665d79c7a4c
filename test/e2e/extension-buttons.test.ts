/**
 * Asking for more time, end to end: the rep asks with /lead extend, the manager's DM carries
 * Approve and Deny, and the click moves the deadline (Slack), or refuses a rep (Lark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dmChannelOf, FakeSlack } from '../support/fake-slack.js';
import { cardClick, postLarkCallback, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import {
  LARK_CHAT,
  LARK_MANAGER,
  larkRepId,
  MANAGER,
  postLead,
  repId,
  startTestLeadpool,
  teamsYaml,
} from '../support/leadpool.js';
import {
  buttonClick,
  claimClick,
  postSigned,
  signedForm,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.js';
import { until } from '../support/until.js';

const withExtension = (yaml: string) =>
  yaml.replace(
    /sla: \{ followUp: (\S+), remindBefore: (\S+) \}/,
    'sla: { followUp: $1, remindBefore: $2, extension: { by: 1d, max: 2d } }',
  );

describe('more time, in Slack', () => {
  let db: TestDatabase;
  let fake: FakeSlack;
  let app: Leadpool;
  let seq = 0;
  beforeAll(async () => {
    db = await createTestDatabase();
    fake = new FakeSlack();
    await fake.start();
    const teams = withExtension(teamsYaml({ reps: 1, followUp: '1h' }));
    app = await startTestLeadpool({ databaseUrl: db.url, slackApiUrl: fake.apiUrl, teams, poolSize: 5 });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
    await db?.drop();
  });
  const send = (form: Record<string, string>) => postSigned(`${app.url}/slack/events`, signedForm(form));
  async function reply(form: (url: string) => Record<string, string>): Promise<string> {
    const id = `x${++seq}`;
    await send(form(fake.responseUrl(id)));
    await fake.waitFor(() => fake.calls.some((c) => c.method === `respond:/respond/${id}`), 'the reply');
    return String(fake.calls.find((c) => c.method === `respond:/respond/${id}`)?.body.text);
  }

  it('the rep asks, the manager approves from the DM, the deadline moves a day and the rep is told', async () => {
    const { id } = (await (await postLead(app, { team: 'alpha', name: 'Slow Buyer' })).json()) as { id: number };
    await send(claimClick(repId(0), id, fake.responseUrl('claim')));
    const owned = async () => (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status === 'owned';
    await until(owned, 'the claim');
    const before = (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).followUpDueAt as Date;
    expect(await reply((url) => slashCommand(repId(0), `extend ${id} buyer is travelling`, url))).toContain(
      `Asked for more time on L-${id}`,
    );
    await app.relay.drain();
    const dm = fake.to('chat.postMessage', MANAGER).at(-1);
    expect(String(dm?.body.text)).toContain('buyer is travelling');
    expect(JSON.stringify(dm?.body.blocks)).toContain('"action_id":"lead.extension.approve"');
    expect(JSON.stringify(dm?.body.blocks)).toContain('"action_id":"lead.extension.deny"');
    // A rep cannot answer it: told privately, beside the question.
    const refusals = () => fake.of('chat.postEphemeral').filter((c) => c.body.user === repId(0));
    const seen = refusals().length;
    await send(
      buttonClick(repId(0), 'lead.extension.approve', String(id), fake.responseUrl('r'), dmChannelOf(repId(0))),
    );
    await fake.waitFor(() => refusals().length === seen + 1, 'the refusal');
    expect(String(refusals().at(-1)?.body.text)).toContain('Only a manager');
    expect(refusals().at(-1)?.body.channel).toBe(dmChannelOf(repId(0)));
    const answer = await reply((url) =>
      buttonClick(MANAGER, 'lead.extension.approve', String(id), url, dmChannelOf(MANAGER)),
    );
    expect(answer).toContain(`已批准：L-${id}`);
    const after = (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).followUpDueAt as Date;
    expect(after.getTime() - before.getTime()).toBe(86_400_000);
    await app.relay.drain();
    expect(String(fake.to('chat.postMessage', repId(0)).at(-1)?.body.text)).toContain('approved more time');
  });

  it('"Ask for more time" opens a form; its reason goes to the manager, and an empty one is refused in the form', async () => {
    const send = (form: Record<string, string>) => postSigned(`${app.url}/slack/events`, signedForm(form));
    const { id } = (await (await postLead(app, { team: 'alpha', name: 'Form Buyer' })).json()) as { id: number };
    await send(claimClick(repId(0), id, fake.responseUrl('c')));
    const owned = async () => (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status === 'owned';
    await until(owned, 'the claim');
    await send(buttonClick(repId(0), 'lead.extension.open', String(id), fake.responseUrl('o'), dmChannelOf(repId(0))));
    await fake.waitFor(
      () => fake.of('views.open').some((c) => JSON.stringify(c.body.view).includes('lead.extension.modal')),
      'the form',
    );
    const form = fake.of('views.open').at(-1)?.body.view as Parameters<typeof viewSubmission>[1];
    expect(form.callback_id).toBe('lead.extension.modal');
    const empty = await send(viewSubmission(repId(0), form, { reason: '   ' }, 'VEXT1'));
    expect(JSON.stringify(await empty.json())).toContain('Say why you need more time');
    const done = await send(viewSubmission(repId(0), form, { reason: 'waiting for the budget' }, 'VEXT2'));
    expect(((await done.json()) as { response_action: string }).response_action).toBe('update');
    expect(await app.db.prisma.extensionRequest.findFirst({ where: { leadId: id, status: 'pending' } })).toMatchObject({
      reason: 'waiting for the budget',
    });
    await app.relay.drain();
    expect(String(fake.to('chat.postMessage', MANAGER).at(-1)?.body.text)).toContain('waiting for the budget');
  });
});

describe('more time, in Lark', () => {
  const suite = useLarkSuite({ teams: withExtension(teamsYaml({ reps: 1, lark: true, followUp: '1h' })) });

  it('the manager denies from the card; the rep is told and keeps the deadline', async () => {
    const send = (payload: unknown) => postLarkCallback(suite.app.url, payload);
    const { id } = (await (await postLead(suite.app, { team: 'alpha', name: 'Lark Buyer' })).json()) as { id: number };
    await suite.app.relay.drain();
    await send(
      cardClick({ openId: larkRepId(0), value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
    );
    const chat = `oc_p2p_${larkRepId(0)}`;
    const asked = suite.fake.to(chat).length;
    await send(textMessage({ openId: larkRepId(0), text: `延期 ${id} 客户出差` }));
    await suite.fake.waitFor(() => suite.fake.to(chat).length > asked, 'the reply');
    expect(JSON.stringify(suite.fake.to(chat).at(-1)?.card)).toContain(`L-${id}`);
    await suite.app.relay.drain();
    const card = JSON.stringify(suite.fake.to(LARK_MANAGER).at(-1)?.card);
    expect(card).toContain('客户出差');
    expect(card).toContain('lead.extension.deny');
    const before = (await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).followUpDueAt;
    const answer = await send(
      cardClick({ openId: LARK_MANAGER, value: { action: 'lead.extension.deny', lead: String(id) } }),
    );
    expect((answer.body.toast as { content: string }).content).toContain(`已拒绝：L-${id}`);
    expect((await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).followUpDueAt).toEqual(before);
    await suite.app.relay.drain();
    expect(JSON.stringify(suite.fake.to(larkRepId(0)).at(-1)?.card)).toContain('did not approve');
  });

  it('"Ask for more time" opens a form card; its submit asks', async () => {
    const send = (payload: unknown) => postLarkCallback(suite.app.url, payload);
    const { id } = (await (await postLead(suite.app, { team: 'alpha', name: 'Form Lark' })).json()) as { id: number };
    await suite.app.relay.drain();
    await send(
      cardClick({ openId: larkRepId(0), value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
    );
    const opened = await send(
      cardClick({ openId: larkRepId(0), value: { action: 'lead.extension.open', lead: String(id) } }),
    );
    expect(JSON.stringify(opened.body.card)).toContain('lead.extension.submit');
    const asked = await send(
      cardClick({
        openId: larkRepId(0),
        value: { action: 'lead.extension.submit', lead: String(id) },
        formValue: { reason: '等预算' },
      }),
    );
    expect((asked.body.toast as { type: string }).type).toBe('success');
    expect(await suite.app.db.prisma.extensionRequest.count({ where: { leadId: id, status: 'pending' } })).toBe(1);
  });
});
