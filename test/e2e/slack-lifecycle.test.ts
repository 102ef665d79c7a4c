import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { MANAGER, postLead, repId, rowCounts, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { readBody } from '../support/read-body.js';
import {
  buttonClick,
  claimClick,
  postSigned,
  signedEvent,
  signedForm,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.js';

const SECRET = 'whsec-0123456789abcdef';
let db: TestDatabase;
let fake: FakeSlack;
let app: Leadpool;
let hookServer: Server;
let hookUrl = '';
/** What the webhook receiver got; it answers 500 to the first `failFirst` deliveries. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const failFirst = 1;
const clock = new ManualClock('2026-03-02T09:00:00Z');
let seq = 0;

beforeAll(async () => {
  hookServer = createServer(async (req, res) => {
    const body = await readBody(req);
    received.push({ headers: req.headers, body });
    res.statusCode = received.length <= failFirst ? 500 : 204;
    res.end();
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  const address = hookServer.address();
  hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/leadpool`;
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  const teams = teamsYaml({ reps: 3, followUp: '1h', remindBefore: '10m' }).replace(
    '    members:\n',
    `    webhook: { url: "${hookUrl}", secretEnv: LEADPOOL_HOOK_SECRET }\n    members:\n`,
  );
  app = await startTestLeadpool({
    databaseUrl: db.url,
    slackApiUrl: fake.apiUrl,
    clock,
    teams,
    secrets: { LEADPOOL_HOOK_SECRET: SECRET },
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await db?.drop();
  await new Promise((resolve) => hookServer?.close(resolve));
});

const eventsUrl = () => `${app.url}/slack/events`;
const send = (form: Record<string, string>) => postSigned(eventsUrl(), signedForm(form));

async function newLead(fields: Record<string, unknown> = {}): Promise<number> {
  const res = await postLead(app, { team: 'alpha', name: `Chen Jie ${++seq}`, company: 'Huaxin Ltd', ...fields });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: number };
  await app.relay.drain();
  return id;
}

async function claimed(userId: string, fields: Record<string, unknown> = {}): Promise<number> {
  const id = await newLead(fields);
  expect((await send(claimClick(userId, id, fake.responseUrl(`c${++seq}`)))).status).toBe(200);
  for (let i = 0; i < 100 && (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status !== 'owned'; i++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  await app.relay.drain();
  return id;
}

async function command(userId: string, text: string): Promise<string> {
  const id = `r${++seq}`;
  expect((await send(slashCommand(userId, text, fake.responseUrl(id)))).status).toBe(200);
  const path = `respond:/respond/${id}`;
  await fake.waitFor(() => fake.calls.some((c) => c.method === path), `reply to /lead ${text}`);
  return String(fake.calls.find((c) => c.method === path)?.body.text);
}

type OpenedView = Parameters<typeof viewSubmission>[1] & { blocks: { block_id?: string; text?: { text: string } }[] };
async function openedBy(click: Record<string, string>): Promise<OpenedView> {
  const before = fake.of('views.open').length;
  expect((await send(click)).status).toBe(200);
  await fake.waitFor(() => fake.of('views.open').length > before, 'views.open');
  return fake.of('views.open').at(-1)?.body.view as OpenedView;
}

describe('Log follow-up form (Slack modal)', () => {
  it('opens from the lead card and the claim DM, shows bad fields in the form, then logs once', async () => {
    const id = await claimed(repId(0));
    const card = fake
      .of('chat.update')
      .filter((c) => JSON.stringify(c.body.blocks).includes(`L-${id}`))
      .at(-1);
    expect(JSON.stringify(card?.body.blocks)).toContain('"action_id":"lead.follow_up.open"');
    const dm = fake.to('chat.postMessage', repId(0)).at(-1);
    expect(JSON.stringify(dm?.body.blocks)).toContain('"action_id":"lead.follow_up.open"');

    const view = await openedBy(
      buttonClick(repId(0), 'lead.follow_up.open', String(id), fake.responseUrl('f1'), 'C0ALPHA'),
    );
    expect(view.callback_id).toBe('lead.follow_up.modal');
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual(['method', 'note', 'outcome', 'step', 'next']);

    const before = await rowCounts(app);
    const bad = await send(viewSubmission(repId(0), view, { note: 'Spoke to the CFO', next: 'someday' }, 'VFU1'));
    expect(await bad.json()).toEqual({
      response_action: 'errors',
      errors: { method: 'Pick how you followed up.' },
    });
    const badNext = await send(
      viewSubmission(repId(0), view, { method: 'call', note: 'Spoke to the CFO', next: 'someday' }, 'VFU1'),
    );
    const badNextAnswer = (await badNext.json()) as { errors: Record<string, string> };
    expect(Object.keys(badNextAnswer.errors)).toEqual(['next']);
    expect(badNextAnswer.errors.next).toContain('Cannot read "someday" as a time');
    expect(await rowCounts(app)).toEqual(before);

    const values = {
      method: 'call',
      note: 'Spoke to the CFO',
      outcome: 'interested',
      step: 'send the quote',
      next: 'in 30m',
    };
    const good = await send(viewSubmission(repId(0), view, values, 'VFU1'));
    const answer = (await good.json()) as { response_action: string; view: { blocks: { text: { text: string } }[] } };
    expect(answer.response_action).toBe('update');
    expect(answer.view.blocks[0]?.text.text).toContain(`Logged a follow-up (call) on L-${id}`);
    const stored = await app.db.prisma.followUp.findFirstOrThrow({ where: { leadId: id } });
    expect(stored).toMatchObject({ method: 'call', outcome: 'interested', nextStep: 'send the quote' });
    expect(stored.nextContactAt?.getTime()).toBe(clock.now().getTime() + 30 * 60_000);
    // Slack delivers the same submission again: it is not logged twice.
    await send(viewSubmission(repId(0), view, values, 'VFU1'));
    expect(await app.db.prisma.followUp.count({ where: { leadId: id } })).toBe(1);
  });

  it('tells anyone else why they cannot log, without opening the form', async () => {
    const id = await claimed(repId(1));
    const view = await openedBy(
      buttonClick(repId(2), 'lead.follow_up.open', String(id), fake.responseUrl('f2'), 'C0ALPHA'),
    );
    expect(view.callback_id).toBeUndefined();
    expect(view.blocks[0]?.text?.text).toContain(`L-${id} is not yours`);
  });
});

describe('stages, closing and manager actions from /lead', () => {
  it('moves a lead through its stages, closes it with a reason and lets a manager reopen and assign it', async () => {
    const id = await claimed(repId(0), { company: 'Stage Co', phone: '+86 138 0013 8000' });
    expect(await command(repId(0), `stage L-${id} qualified`)).toBe(`L-${id} is now qualified.`);
    expect(await command(repId(0), `stage L-${id} new`)).toContain('needs a reason');
    expect(await command(repId(0), `lost L-${id} because`)).toContain('is not a closing reason');
    expect(await command(repId(0), `lost L-${id} chose a competitor went with Acme`)).toBe(
      `L-${id} closed as lost (chose a competitor).`,
    );
    expect(await command(repId(0), `reopen L-${id}`)).toContain('Only a manager');
    expect(await command(MANAGER, `reopen L-${id} nurture`)).toContain(`L-${id} 已重新打开`);
    expect(await command(MANAGER, `assign L-${id} <@${repId(1)}|rep1>`)).toContain(`L-${id} 已分配给 Rep 1`);
    await app.relay.drain();
    // The assignee's DM says what the lead is and how to reach it, as a claim's DM does.
    const assignedDm = String(
      fake
        .to('chat.postMessage', repId(1))
        .map((c) => c.body.text)
        .find((text) => String(text).includes('assigned you')),
    );
    expect(assignedDm).toContain(`Mia Manager assigned you L-${id}: Chen Jie`);
    expect(assignedDm).toContain('(Stage Co)');
    expect(assignedDm).toContain('Contact: +86 138 0013 8000');
    expect(assignedDm).toMatch(/Follow up by \w{3}, \w{3} \d+/);
    // Its card says it was assigned, and by whom, not that it was claimed.
    const card = fake
      .of('chat.update')
      .filter((c) => JSON.stringify(c.body.blocks).includes(`L-${id}`))
      .at(-1);
    expect(JSON.stringify(card?.body.blocks)).toContain('Assigned to Rep 1 by Mia Manager.');
    expect(JSON.stringify(card?.body.blocks)).not.toContain('Claimed by');
    expect(await command(repId(1), 'release Stage not my region')).toBe(`L-${id} is back in the pool.`);
    const lead = await app.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(lead).toMatchObject({ status: 'pooled', stage: 'new', ownerId: null });
    expect(lead.qualifiedAt).not.toBeNull();
  });

  it('answers /lead funnel with the team for a manager and their own numbers for a rep', async () => {
    const manager = await command(MANAGER, 'funnel this month');
    expect(manager).toContain('漏斗 · Alpha Sales · 本月');
    expect(manager).toMatch(/新增线索：\d+/);
    expect(manager).toContain('按销售');
    // The charts cannot ride an ephemeral answer: they go to the manager's DM with the app, as PNGs.
    expect(manager).toContain('图表已发到你与 Leadpool 的会话中');
    const dm = `D${MANAGER.slice(1)}`;
    await fake.waitFor(() => fake.of('files.completeUploadExternal').some((c) => c.body.channel_id === dm), 'charts');
    const upload = fake.of('files.completeUploadExternal').find((c) => c.body.channel_id === dm);
    const files = upload?.body.files as { id: string; title: string }[];
    expect(files.map((f) => f.title)).toEqual([
      '漏斗 · Alpha Sales · 本月',
      expect.stringMatching(/^截至 \d{4}-\d{2}-\d{2} 的 14 天$/),
    ]);
    for (const { id } of files) expect(fake.uploadBytes.get(id)?.subarray(1, 4).toString()).toBe('PNG');
    const rep = await command(repId(0), '漏斗 上周');
    // A Chinese command word is answered in Chinese, whatever the rep's own language.
    expect(rep).toContain('漏斗 · Alpha Sales，你自己的线索 · 上周');
    expect(await command(repId(0), 'funnel alpha fortnight')).toContain('Cannot read "fortnight" as a period');
    const repDm = `D${repId(0).slice(1)}`;
    await fake.waitFor(
      () => fake.of('files.completeUploadExternal').some((c) => c.body.channel_id === repDm),
      'charts',
    );
  });

  it('exports the period as a CSV file into the asker’s DM: the team for a manager, their own for a rep', async () => {
    const uploadsBefore = fake.uploads.size;
    expect(await command(MANAGER, 'export this month')).toBe('文件已发到你与 Leadpool 的会话中。');
    await fake.waitFor(() => fake.of('files.completeUploadExternal').length > 0, 'the upload completes');
    expect(fake.of('conversations.open').at(-1)?.body.users).toBe(MANAGER);
    const complete = fake.of('files.completeUploadExternal').at(-1);
    expect(complete?.body.channel_id).toBe(`D${MANAGER.slice(1)}`);
    expect(String(complete?.body.initial_comment)).toMatch(/Alpha Sales 本月的 \d+ 条线索/);
    expect(fake.uploads.size).toBe(uploadsBefore + 1);
    const csv = [...fake.uploads.values()].at(-1) ?? '';
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\n');
    expect(header).toBe(
      'ref,team,name,company,source,channel,status,stage,owner,createdAt,contactedAt,qualifiedAt,convertedAt,closedAt,closeReason,dealValue,followUps,lastFollowUpAt,lastFollowUpMethod,lastFollowUpOutcome,lastFollowUpNote',
    );
    const all = await app.db.prisma.lead.count({ where: { status: { not: 'merged' } } });
    expect(rows).toHaveLength(all);
    expect(csv).not.toContain('@hook.example');
    expect(csv).toMatch(/,call,interested,Spoke to the CFO/);

    expect(await command(repId(2), 'export this month')).toBe('The file is in your chat with Leadpool.');
    await fake.waitFor(() => fake.uploads.size === uploadsBefore + 2, 'the rep’s upload');
    const own = ([...fake.uploads.values()].at(-1) ?? '').trimEnd().split('\n').slice(1);
    const repOwns = await app.db.prisma.lead.count({ where: { owner: { displayName: 'Rep 2' } } });
    expect(own.length).toBe(repOwns);
    expect(own.every((line) => line.includes(',Rep 2,'))).toBe(true);
  });

  it('lists the manager commands only for managers', async () => {
    expect(await command(repId(0), 'help')).not.toContain('/lead assign');
    expect(await command(MANAGER, 'help')).toContain('/lead assign');
  });

  it('finds leads by name, company or phone among those the person may see', async () => {
    const id = await newLead({ name: 'Findable Guo', company: 'Guo Trading', phone: '+86 139 1111 2222' });
    expect(await command(repId(0), 'find guo trading')).toContain(`L-${id} Findable Guo (Guo Trading)`);
    expect(await command(repId(0), 'find 1111 2222')).toContain(`L-${id}`);
    expect(await command(repId(0), 'find nobody-like-this')).toContain('No lead you can see matches');
  });
});

describe('conversion hand-off', () => {
  it('records the deal and customer, and posts a signed webhook that is retried until received', async () => {
    const id = await claimed(repId(2), { company: 'Hook Corp', email: 'buyer@hook.example' });
    expect(await command(repId(2), `convert L-${id} 12,500 EUR close: 2026-03-20`)).toBe(
      `L-${id} converted. Customer: Hook Corp, deal €12,500.00.`,
    );
    expect(await app.db.prisma.deal.findUniqueOrThrow({ where: { leadId: id } })).toMatchObject({ currency: 'EUR' });
    await app.relay.drain();
    expect(received).toHaveLength(1);
    // The receiver failed the first delivery: it comes again after the back-off, same id, once.
    clock.advance(10 * 60_000);
    await app.relay.drain();
    await app.relay.drain();
    const deliveries = [...received];
    expect(deliveries).toHaveLength(2);
    const [a, b] = deliveries;
    expect(a?.headers['leadpool-delivery']).toBe(b?.headers['leadpool-delivery']);
    for (const delivery of deliveries) {
      const signature = String(delivery.headers['leadpool-signature']);
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(signature) ?? [];
      const expected = createHmac('sha256', SECRET).update(`${t}.${delivery.body}`).digest('hex');
      expect(v1).toBe(expected);
    }
    const payload = JSON.parse(b?.body ?? '{}') as { event: string; data: Record<string, unknown> };
    expect(payload.event).toBe('lead.converted');
    expect(payload.data).toMatchObject({
      ref: `L-${id}`,
      customerName: 'Hook Corp',
      email: 'buyer@hook.example',
      dealValue: 12_500,
      dealCurrency: 'EUR',
      owner: 'Rep 2',
    });
    const sentAt = await app.db.prisma.outboxMessage.findFirstOrThrow({
      where: { sink: 'webhook', kind: 'conversion.webhook' },
    });
    expect(sentAt.sentAt).not.toBeNull();
    expect(sentAt.attempts).toBe(2);
  });
});

describe('App Home', () => {
  const homesOf = (user: string) => fake.of('views.publish').filter((c) => c.body.user_id === user);
  const homeText = (user: string) => JSON.stringify(homesOf(user).at(-1)?.body.view ?? {});

  it('is published when opened, and again after a claim changes the desk', async () => {
    const rep = repId(1);
    const earlier = homesOf(rep).length;
    const opened = await postSigned(
      eventsUrl(),
      signedEvent({ type: 'app_home_opened', user: rep, channel: 'D1', tab: 'home' }),
    );
    expect(opened.status).toBe(200);
    await fake.waitFor(() => homesOf(rep).length > earlier, 'views.publish on app_home_opened');
    expect(homeText(rep)).toContain('Your lead desk');
    const before = homesOf(rep).length;
    const id = await claimed(rep, { name: 'Home Shown Lead' });
    await app.relay.drain();
    // A desk refresh waits 2 s, so the changes of a busy moment are published once.
    expect(homesOf(rep).length).toBe(before);
    clock.advance(2_000);
    await app.relay.drain();
    await fake.waitFor(() => homesOf(rep).length > before, 'views.publish after the claim');
    const home = homeText(rep);
    expect(home).toContain(`L-${id} Home Shown Lead`);
    expect(home).toContain('lead.follow_up.open');
    expect(home).toContain('lead.release.open');
    expect(home).toMatch(/Alpha Sales: \d of 5 claims left today/);
  });

  it('shows managers their team’s overdue leads, and releases from the home tab with a reason', async () => {
    const id = await claimed(repId(2), { name: 'Overdue Soon' });
    clock.advance(2 * 3_600_000);
    const published = homesOf(MANAGER).length;
    await postSigned(eventsUrl(), signedEvent({ type: 'app_home_opened', user: MANAGER, channel: 'D2', tab: 'home' }));
    await fake.waitFor(() => homesOf(MANAGER).length > published, 'manager home');
    expect(homeText(MANAGER)).toContain(`L-${id} Overdue Soon`);

    const form = await openedBy(buttonClick(repId(2), 'lead.release.open', String(id), fake.responseUrl('h1'), 'D3'));
    expect(form.callback_id).toBe('lead.release.modal');
    const empty = await send(viewSubmission(repId(2), form, { reason: '   ' }, 'VREL'));
    expect(((await empty.json()) as { errors: Record<string, string> }).errors.reason).toContain('Say why you release');
    const done = await send(viewSubmission(repId(2), form, { reason: 'wrong region' }, 'VREL'));
    expect(((await done.json()) as { response_action: string }).response_action).toBe('update');
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'pooled' });
  });

  it('opens a lead from the home tab, and publishes changes that piled up once', async () => {
    const id = await claimed(repId(0), { name: 'Open Me' });
    const view = await openedBy(buttonClick(repId(0), 'lead.show', String(id), fake.responseUrl('h2'), 'D4'));
    expect(view.blocks[0]?.text?.text).toContain(`L-${id}: Open Me`);
    expect(view.blocks[0]?.text?.text).toContain('History:');

    const { memberId } = await app.db.prisma.memberIdentity.findFirstOrThrow({ where: { externalId: repId(0) } });
    const before = homesOf(repId(0)).length;
    await app.db.prisma.outboxMessage.createMany({
      data: Array.from({ length: 5 }, () => ({
        sink: 'slack',
        kind: 'member.desk',
        orderKey: `slack:member:${memberId}`,
        payload: { kind: 'member.desk', memberId },
        createdAt: clock.now(),
        availableAt: clock.now(),
      })),
    });
    clock.advance(2_000);
    await app.relay.drain();
    expect(homesOf(repId(0)).length - before).toBe(1);
    expect(await app.db.prisma.outboxMessage.count({ where: { kind: 'member.desk', sentAt: null } })).toBe(0);
  });

  it('answers events nothing listens for at once, without publishing', async () => {
    const before = fake.of('views.publish').length;
    const res = await postSigned(eventsUrl(), signedEvent({ type: 'app_mention', user: repId(0), text: 'hi' }));
    expect(res.status).toBe(200);
    expect(fake.of('views.publish')).toHaveLength(before);
  });
});

describe('pausing in Slack', () => {
  it('tells a paused rep why a claim is refused, lets them claim again after resuming, and lets a manager pause a rep', async () => {
    expect(await command(repId(2), 'pause until tomorrow 9am')).toContain('You are paused until');
    const id = await newLead();
    expect((await send(claimClick(repId(2), id, fake.responseUrl(`p${++seq}`)))).status).toBe(200);
    const refused = () =>
      fake.of('chat.postEphemeral').find((c) => c.body.user === repId(2) && String(c.body.text).includes('paused'));
    await fake.waitFor(() => refused() !== undefined, 'the refusal');
    expect(String(refused()?.body.text)).toMatch(/^You are paused until .+`\/lead resume` ends it\.$/);
    expect((await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('pooled');

    expect(await command(repId(2), 'resume')).toBe('Welcome back: you take leads again.');
    expect((await send(claimClick(repId(2), id, fake.responseUrl(`p${++seq}`)))).status).toBe(200);
    for (let i = 0; i < 100 && (await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status !== 'owned'; i++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status).toBe('owned');
    expect(await command(repId(2), `why ${id}`)).toMatch(
      new RegExp(`^Why L-${id} \\(.+\\) is where it is:\nRep 2 claimed it from the pool \\(.+\\)\\.$`),
    );

    // The manager (zh-CN) pauses a rep by mention; a rep may not pause anyone else.
    expect(await command(MANAGER, `暂停 <@${repId(1)}> 到 明天`)).toMatch(/^Rep 1 已在 Alpha Sales 暂停至 .+。$/);
    expect(await command(repId(0), `pause <@${repId(1)}>`)).toBe(
      'Only managers can pause or resume someone else, and only in their own teams.',
    );
    expect(await command(MANAGER, `恢复 <@${repId(1)}>`)).toBe('Rep 1 已在 Alpha Sales 恢复接收线索。');
    // Moving a lead between pools is wired too; this team has none to move it to.
    expect(await command(MANAGER, `移池 ${id} east`)).toBe('该团队没有名为“east”的线索池。现有线索池：—。');
  });
});

describe('what a rep may claim', () => {
  it('lists the pooled leads a rep may claim now, without their contact details, and says why not while paused', async () => {
    const id = await newLead({ email: 'open@huaxin.example' });
    const listed = await command(repId(1), 'open');
    expect(listed).toMatch(/^Alpha Sales: \d+\/5 claimed today\./);
    expect(listed).toContain(`L-${id} Chen Jie`);
    expect(listed).not.toContain('open@huaxin.example');
    // Once claimed, a lead is no longer offered.
    const owned = await claimed(repId(1));
    expect(await command(repId(1), 'open')).not.toContain(`L-${owned} `);
    expect(await command(repId(1), 'pause')).toContain('paused');
    expect(await command(repId(1), '可领取')).toContain('你已暂停');
    expect(await command(repId(1), 'open')).toContain('You are paused');
    expect(await command(repId(1), 'resume')).toBe('Welcome back: you take leads again.');
  });
});
