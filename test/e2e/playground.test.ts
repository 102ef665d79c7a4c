/**
 * The playground through the real app over HTTP: on with no messenger configured, a third
 * messenger over the same outbox, interaction table and commands, its page served under a strict
 * CSP, its changes pushed by server-sent events, and closed to other machines without a token.
 */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { parseEnv, playgroundOn } from '../../src/config/env.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { readEventStream } from '../support/event-stream.js';
import { MANAGER, postLead, repId, rowCounts, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { until } from '../support/until.js';

const REP0 = `slack-${repId(0)}`;
const REP1 = `slack-${repId(1)}`;
const BOSS = `slack-${MANAGER}`;
const WINDOW = 10_000;

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read loosely and checked by the assertions
type Json = Record<string, any>;

describe('the playground over HTTP', () => {
  let app: Leadpool;
  const clock = new ManualClock(new Date(Math.ceil(Date.now() / WINDOW) * WINDOW + 1_000));
  const get = async (path: string) => {
    const response = await fetch(`${app.url}${path}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const channel = async () => (await get('/playground/api/channel/alpha')).body.messages as Json[];
  const dms = async (as: string) => (await get(`/playground/api/dms?as=${as}`)).body.messages as Json[];
  const newLead = async (name: string) =>
    (
      (await (
        await postLead(app, {
          team: 'alpha',
          name,
          email: `${name.replace(/\W/g, '').toLowerCase() || 'x'}@${name.length}.example`,
        })
      ).json()) as Json
    ).id as number;

  beforeAll(async () => {
    app = await startTestLeadpool({
      playground: 'auto',
      clock,
      teams: teamsYaml({ reps: 2, cardBurst: '{ after: 2, within: 10s }' }),
    });
  });
  afterAll(() => app?.stop());

  it('is on by default with no messenger, and off when one is configured unless asked for', () => {
    expect(playgroundOn(parseEnv({}))).toBe(true);
    const slack = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' };
    expect(playgroundOn(parseEnv(slack))).toBe(false);
    expect(playgroundOn(parseEnv({ ...slack, PLAYGROUND: 'on' }))).toBe(true);
    expect(playgroundOn(parseEnv({ PLAYGROUND: 'off' }))).toBe(false);
    expect(() => parseEnv({ PLAYGROUND_TOKEN: 'short' })).toThrow(/PLAYGROUND_TOKEN: must be at least 16/);
  });

  it('serves its page under a CSP that runs only its own script, which never parses text as markup', async () => {
    const page = await fetch(`${app.url}/`);
    expect(page.status).toBe(200);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('src="/playground/app.js"');
    const script = await (await fetch(`${app.url}/playground/app.js`)).text();
    expect(script).toContain('textContent');
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    expect((await fetch(`${app.url}/favicon.ico`)).status).toBe(204);
  });

  it('lists the people to act as, each once with their teams, and its words in both languages', async () => {
    const { body } = await get('/playground/api/index');
    expect(body.people.map((p: Json) => p.key)).toEqual([REP0, REP1, BOSS]);
    expect(body.people[2]).toMatchObject({ locale: 'zh-CN', teams: [{ id: 'alpha', role: 'manager' }] });
    expect(body.strings.en['playground.act_as']).toBe('Act as');
    expect(body.strings['zh-CN']['playground.act_as']).toBe('身份');
  });

  it("posts a lead's card in its team's channel, tells open pages, and races two reps for it", async () => {
    const stream = await readEventStream(`${app.url}/playground/api/events`);
    try {
      const id = await newLead('<img src=x onerror=alert(1)>');
      await until(async () => (await channel()).some((m) => m.id === `lead-${id}`), 'the card in the channel');
      await until(() => stream.events.some((e) => (e as Json).type === 'channel'), 'a channel event');
      expect(stream.events[0]).toMatchObject({ type: 'clock' });
      const card = (await channel()).find((m) => m.id === `lead-${id}`)?.card;
      expect(card.view.title).toContain('<img src=x onerror=alert(1)>');
      expect(card.view.claim).toMatchObject({ actionId: 'lead.claim', value: String(id) });

      const claim = (as: string) =>
        post('/playground/api/click', { as, interaction: 'lead.claim', subject: { lead: String(id) } });
      const [a, b] = await Promise.all([claim(REP0), claim(REP1)]);
      const answers = [a.body, b.body];
      expect(answers.map((x) => x.kind).sort()).toEqual(['card', 'notice']);
      expect(answers.find((x) => x.kind === 'notice')?.text).toMatch(/Too late/);
      const winner = a.body.kind === 'card' ? REP0 : REP1;
      await until(async () => (await dms(winner)).some((m) => /You claimed/.test(m.message.text)), 'the DM');
      await until(() => stream.events.some((e) => (e as Json).type === 'dm'), 'a DM event');
      const desk = (await get(`/playground/api/desk?as=${winner}`)).body;
      expect(JSON.stringify(desk.sections)).toContain(`L-${id}`);
      expect((await channel()).find((m) => m.id === `lead-${id}`)?.card.view.status).toMatch(/Claimed by/);
    } finally {
      stream.close();
    }
  });

  it("shows a burst's later leads as one summary page with a Claim per lead", async () => {
    clock.advance(WINDOW);
    const ids: number[] = [];
    for (const name of ['Ada', 'Ben', 'Cai', 'Dee']) ids.push(await newLead(name));
    clock.advance(WINDOW);
    await app.relay.drain();
    await until(async () => (await channel()).some((m) => m.card.kind === 'burst'), 'the summary');
    const summary = (await channel()).find((m) => m.card.kind === 'burst');
    expect(summary?.card.view.lines.map((l: Json) => l.leadId)).toEqual(ids.slice(2));
    expect((await channel()).filter((m) => ids.slice(0, 2).includes(Number(m.id.slice(5))))).toHaveLength(2);
  });

  it('answers commands typed in English or Chinese words, with a form, charts or a file where they give one', async () => {
    const mine = await post('/playground/api/command', { as: REP0, text: '我的' });
    expect(mine.body).toMatchObject({ kind: 'notice', tone: 'info' });
    expect(mine.body.text).toMatch(/\p{Script=Han}/u);
    const help = await post('/playground/api/command', { as: REP0, text: '/lead help' });
    expect(help.body.text).toContain('Type a command in the box');
    const form = await post('/playground/api/command', { as: REP0, text: '/lead new' });
    expect(form.body).toMatchObject({
      kind: 'form',
      form: { submitId: 'lead.new.submit', carries: { team: 'alpha' } },
    });
    const funnel = await post('/playground/api/command', { as: BOSS, text: 'funnel', team: 'alpha' });
    expect(funnel.body.kind).toBe('view');
    expect(funnel.body.charts.funnel.stages.length).toBeGreaterThan(0);
    const exported = await post('/playground/api/command', { as: BOSS, text: 'export', team: 'alpha' });
    expect(exported.body).toMatchObject({ kind: 'file' });
    expect(exported.body.filename).toMatch(/\.csv$/);
    const refused = await post('/playground/api/command', { as: REP0, text: 'log L-999999 call hello' });
    expect(refused.body).toMatchObject({ kind: 'notice', tone: 'warning' });
  });

  it('adds a lead through the new-lead form, with a problem under the field first', async () => {
    const opened = (await post('/playground/api/command', { as: REP0, text: 'new' })).body.form;
    const submit = (form: Json) =>
      post('/playground/api/click', { as: REP0, interaction: opened.submitId, subject: opened.carries, form });
    const bad = await submit({ name: 'Form Person', email: 'not-an-email' });
    expect(bad.body.kind).toBe('form');
    expect(Object.keys(bad.body.form.errors)).toContain('email');
    const good = await submit({ name: 'Form Person', email: 'form@person.example' });
    expect(good.body.kind).not.toBe('form');
  });

  it('refuses bad requests with a clear 4xx and writes nothing', async () => {
    const before = await rowCounts(app);
    const unknown = await post('/playground/api/click', { as: 'slack-NOBODY', interaction: 'lead.claim' });
    expect(unknown).toMatchObject({ status: 403, body: { message: 'no such person in the teams file' } });
    const malformed = await post('/playground/api/click', { as: REP0 });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/interaction/);
    const noPerson = await get('/playground/api/desk');
    expect(noPerson.status).toBe(400);
    const stale = await post('/playground/api/click', { as: REP0, interaction: 'lead.claim', subject: { lead: 'x' } });
    expect(stale.body.kind).toBe('notice');
    expect((await get('/playground/api/channel/nope')).status).toBe(404);
    expect(await rowCounts(app)).toEqual(before);
  });

  it('listens on loopback alone without a token', () => {
    const address = app.server.server.address();
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1');
  });

  it('answers only this machine by name: a page on another host name that points here is refused', async () => {
    const port = new URL(app.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/playground/api/index', headers: { host: `evil.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect((await fetch(`http://localhost:${port}/playground/api/index`)).status).toBe(200);
  });
});

describe('the playground with a token', () => {
  const token = 'a-playground-token-0123';
  let app: Leadpool;
  beforeAll(async () => {
    app = await startTestLeadpool({ playground: 'on', playgroundToken: token });
  });
  let stopped = false;
  afterAll(() => (stopped ? undefined : app?.stop()));

  it('answers only requests carrying it, and an open event stream does not keep the app from stopping', async () => {
    expect((await fetch(`${app.url}/playground/api/index`)).status).toBe(403);
    const wrong = await fetch(`${app.url}/playground/api/index`, { headers: { 'x-playground-token': `${token}x` } });
    expect(wrong.status).toBe(403);
    const right = await fetch(`${app.url}/playground/api/index`, { headers: { 'x-playground-token': token } });
    expect(right.status).toBe(200);
    // With a token, other machines may reach it.
    const address = app.server.server.address();
    expect(typeof address === 'object' && address?.address).not.toBe('127.0.0.1');
    const stream = await readEventStream(`${app.url}/playground/api/events?token=${token}`);
    await until(() => stream.events.length > 0, 'the first clock event');
    stopped = true;
    const stopping = app.stop().then(() => 'stopped');
    const result = await Promise.race([stopping, new Promise((r) => setTimeout(() => r('hung'), 10_000))]);
    expect(result).toBe('stopped');
    await stream.ended;
  });
});

describe('the playground turned off', () => {
  it("drops the messages it never delivered, and leaves the other messengers' alone", async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'leadpool-playground-')), 'pglite');
    const first = await startTestLeadpool({ playground: 'on', dataDir });
    const row = { kind: 'lead.card', orderKey: 'lead:1', payload: { kind: 'lead.card', leadId: 1 } };
    await first.db.prisma.outboxMessage.createMany({
      data: [
        { ...row, sink: 'web', availableAt: new Date(Date.now() + 3_600_000) },
        { ...row, sink: 'slack', availableAt: new Date(Date.now() + 3_600_000) },
      ],
    });
    await first.stop();
    const second = await startTestLeadpool({ playground: 'off', dataDir });
    try {
      const left = await second.db.prisma.outboxMessage.groupBy({ by: ['sink'], _count: true });
      expect(left.map((g) => g.sink)).toEqual(['slack']);
    } finally {
      await second.stop();
    }
  });
});
