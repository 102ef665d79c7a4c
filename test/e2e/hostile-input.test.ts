import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { INTAKE_KEY, postLead, repId, rowCounts, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import {
  buttonClick,
  claimClick,
  postSigned,
  type SignedPost,
  signedForm,
  sign as signForTest,
  slashCommand,
  viewSubmission,
} from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const suite = useSlackSuite();
const { logLines } = suite;
let seq = 0;

/** The new-lead form as the app opens it, reduced to what a submission carries back. */
const NEW_LEAD_VIEW = {
  callback_id: 'lead.new.modal',
  private_metadata: JSON.stringify({ team: 'alpha' }),
  blocks: [{ block_id: 'name', element: { type: 'plain_text_input' } }],
};

const eventsUrl = () => `${suite.app.url}/slack/events`;
const send = (post: SignedPost) => postSigned(eventsUrl(), post);

async function pooledLead(fields: Record<string, unknown> = {}): Promise<number> {
  const res = await postLead(suite.app, { team: 'alpha', name: `Hostile Test ${++seq}`, ...fields });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** A POST whose body is sent in chunks with no declared length. */
function chunkedPost(path: string, headers: Record<string, string>, chunks: number, chunkSize: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(`${suite.app.url}${path}`, { method: 'POST', headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const chunk = `"${'x'.repeat(chunkSize - 2)}"`;
    let sent = 0;
    const next = () => {
      if (sent++ >= chunks || req.destroyed) return req.end();
      req.write(chunk, next);
    };
    next();
  });
}

describe('intake API under hostile input', () => {
  it('a NUL byte in one of 17 simultaneous requests is cleaned away; all 17 leads are kept', async () => {
    const before = await rowCounts(suite.app);
    const good = Array.from({ length: 16 }, (_, i) => postLead(suite.app, { team: 'alpha', name: `Neighbour ${i}` }));
    const dirty = postLead(suite.app, { team: 'alpha', name: 'Null\u0000Byte' });
    const answers = await Promise.all([...good, dirty]);
    expect(answers.map((r) => r.status)).toEqual(Array(17).fill(201));
    const { id } = (await (answers[16] as Response).json()) as { id: number };
    expect((await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).name).toBe('NullByte');
    expect((await rowCounts(suite.app)).lead).toBe(before.lead + 17);
  });

  it.each([
    ['NUL in company', { company: 'Acme\u0000' }, { company: 'Acme' }],
    ['NUL in notes', { notes: 'a\u0000b' }, { notes: 'ab' }],
    ['a bell in the title', { title: 'CEO\u0007' }, { title: 'CEO' }],
    ['a NUL in an attribute value', { attributes: { plan: 'x\u0000' } }, { attributes: { plan: 'x' } }],
  ])('%s is dropped and the lead is kept', async (_what, fields, stored) => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'Field Test', ...fields });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject(stored);
  });

  it('a lone surrogate is dropped and the lead is kept', async () => {
    const res = await postLead(suite.app, '{"team":"alpha","name":"Broken \\ud800 name"}');
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect((await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).name).toBe('Broken name');
  });

  it('a name of nothing but control characters is no lead: a 400 on the name, nothing stored', async () => {
    const before = await rowCounts(suite.app);
    const res = await postLead(suite.app, { team: 'alpha', name: '\u0000\u0007' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { fields: Record<string, string[]> }).fields.name).toHaveLength(1);
    expect(await rowCounts(suite.app)).toEqual(before);
  });

  it.each([
    ['a top-level __proto__', '{"team":"alpha","name":"P","__proto__":{"admin":true}}', /forbidden key/],
    ['__proto__ inside attributes', '{"team":"alpha","name":"P","attributes":{"__proto__":{"x":1}}}', /forbidden key/],
    ['constructor.prototype', '{"team":"alpha","name":"P","constructor":{"prototype":{"x":1}}}', /forbidden key/],
  ])('%s is refused with a 400, not dropped or a 500', async (_what, body, message) => {
    const before = await rowCounts(suite.app);
    const res = await postLead(suite.app, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(message);
    expect(await rowCounts(suite.app)).toEqual(before);
  });

  it('a top-level "constructor" key is an unknown field, left out (the presenter used to crash on it)', async () => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'P', constructor: 'x' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; warnings: Record<string, string[]> };
    expect(body.warnings.constructor).toEqual(['is not a lead field; left out']);
    const stored = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.attributes).toEqual({});
  });

  it('an attribute named "prototype" is left out with a warning; the lead and its other attributes are kept', async () => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'P', attributes: { prototype: 'x', plan: 'gold' } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; warnings: Record<string, string[]> };
    expect(body.warnings['attributes.prototype']).toEqual(['this name is reserved; choose another; left out']);
    const stored = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: body.id } });
    expect(stored.attributes).toEqual({ plan: 'gold' });
  });

  it('answers 413 to an over-limit body whether or not its length was declared', async () => {
    const headers = { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' };
    const chunked = await chunkedPost('/api/leads', headers, 40, 4096);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual({
      error: 'body_too_large',
      message: 'The body must be at most 65536 bytes.',
    });
    const declared = await postLead(suite.app, JSON.stringify({ team: 'alpha', name: 'x'.repeat(70_000) }));
    expect(declared.status).toBe(413);
    const slack = await chunkedPost('/slack/events', { 'content-type': 'application/json' }, 300, 4096);
    expect(slack.status).toBe(413);
    // The server is still answering.
    expect((await fetch(`${suite.app.url}/healthz`)).status).toBe(200);
  });

  it('checks the key before reading the body: a stranger gets 401, not a parse error', async () => {
    const res = await postLead(suite.app, '{not json', 'wrong-key-0123456789');
    expect(res.status).toBe(401);
  });
});

describe('Slack receiver under hostile input', () => {
  it.each([
    ['payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
    ['payload=[]', 'payload=%5B%5D', 'application/x-www-form-urlencoded'],
    ['payload that is not JSON', 'payload=%7Bnope', 'application/x-www-form-urlencoded'],
    ['the JSON null', 'null', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    [
      'an interaction with no user',
      'payload=%7B%22type%22%3A%22block_actions%22%7D',
      'application/x-www-form-urlencoded',
    ],
  ])('a signed %s is acknowledged with 200 and logged once at warn', async (_what, body, contentType) => {
    const post = signedForm({});
    post.body = body;
    post.headers = { ...signedRaw(body), 'content-type': contentType };
    const linesBefore = logLines.length;
    const res = await send(post);
    expect(res.status).toBe(200);
    const lines = logLines.slice(linesBefore).map((l) => JSON.parse(l) as { level: string });
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe('warn');
  });

  it('answers an unknown action id at once, with a warning and no error', async () => {
    const linesBefore = logLines.length;
    const started = performance.now();
    const res = await send(
      signedForm(buttonClick(repId(0), 'no.such.action', '1', suite.fake.responseUrl('u1'), 'C0ALPHA')),
    );
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    const lines = logLines.slice(linesBefore).join('\n');
    expect(lines).toContain('"level":"warn"');
    expect(lines).not.toContain('"level":"error"');
  });

  it('refuses a forged lead id beyond the integer range without touching the database', async () => {
    const before = await rowCounts(suite.app);
    const res = await send(signedForm(claimClick(repId(0), 99_999_999_999, suite.fake.responseUrl('forged'))));
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect(await rowCounts(suite.app)).toEqual(before);
    expect(logLines.join('\n')).not.toContain('"level":"error"');
  });

  it('a replayed /lead log stores one follow-up and answers every repeat as the first', async () => {
    const id = await pooledLead();
    await suite.app.relay.drain();
    expect((await send(signedForm(claimClick(repId(1), id, suite.fake.responseUrl('c-replay'))))).status).toBe(200);
    await suite.fake.waitFor(
      () => suite.fake.of('chat.postMessage').some((c) => c.body.channel === repId(1)),
      'claim DM',
    );
    const post = signedForm(slashCommand(repId(1), `log ${id} call Spoke to them`, suite.fake.responseUrl('replay')));
    const answers = await Promise.all([send(post), send(post), send(post)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    const texts = await Promise.all(answers.map((r) => r.text()));
    expect(new Set(texts).size).toBe(1);
    await suite.fake.waitFor(() => suite.fake.of('respond:/respond/replay').length >= 1, 'reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(await suite.app.db.prisma.followUp.count({ where: { leadId: id } })).toBe(1);
    expect(suite.fake.of('respond:/respond/replay')).toHaveLength(1);
  });

  it('a replayed claim click runs once: one owner, one DM, no second ephemeral', async () => {
    const id = await pooledLead();
    await suite.app.relay.drain();
    suite.fake.reset();
    const post = signedForm(claimClick(repId(2), id, suite.fake.responseUrl('claim-replay')));
    const answers = await Promise.all([send(post), send(post), send(post)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    await suite.fake.waitFor(
      () => suite.fake.of('chat.postMessage').some((c) => c.body.channel === repId(2)),
      'claim DM',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(suite.fake.of('chat.postMessage').filter((c) => c.body.channel === repId(2))).toHaveLength(1);
    expect(suite.fake.of('chat.postEphemeral')).toHaveLength(0);
    expect(await suite.app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'claimed' } })).toBe(1);
  });

  it('a request replayed to another instance on the same database runs nothing there either', async () => {
    const other = await startTestLeadpool({
      databaseUrl: suite.db.url,
      slackApiUrl: suite.fake.apiUrl,
      teams: teamsYaml(),
    });
    try {
      const id = await pooledLead();
      await suite.app.relay.drain();
      const post = signedForm(claimClick(repId(0), id, suite.fake.responseUrl('two-instances')));
      const answers = await Promise.all([send(post), postSigned(`${other.url}/slack/events`, post)]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      await new Promise((r) => setTimeout(r, 500));
      expect(await suite.app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'claimed' } })).toBe(1);
      expect(suite.fake.of('chat.postEphemeral').filter((c) => c.body.user === repId(0))).toHaveLength(0);
    } finally {
      await other.stop();
    }
  });

  it('refuses requests dated more than a minute ahead', async () => {
    const before = await rowCounts(suite.app);
    const future = Math.floor(Date.now() / 1000) + 3600;
    const post = signedForm(slashCommand(repId(1), 'mine', suite.fake.responseUrl('future')), { timestamp: future });
    expect((await send(post)).status).toBe(401);
    expect(await rowCounts(suite.app)).toEqual(before);
  });

  it('a form whose state is damaged is refused in the form, with a specific message', async () => {
    const before = await rowCounts(suite.app);
    const payload = JSON.parse(viewSubmission(repId(0), NEW_LEAD_VIEW, { name: 'X' }, 'VDAMAGED').payload as string);
    payload.view.state.values.name.value.value = { not: 'a string' };
    const res = await send(signedForm({ payload: JSON.stringify(payload) }));
    const body = (await res.json()) as { errors: Record<string, string> };
    expect(body.errors.name).toMatch(/incomplete or damaged/);
    expect(await rowCounts(suite.app)).toEqual(before);
  });

  it('a signed form submission from someone in no team adds no lead and says why', async () => {
    const before = await rowCounts(suite.app);
    const res = await send(signedForm(viewSubmission('UOUTSIDER', NEW_LEAD_VIEW, { name: 'Sneaky Lead' }, 'VOUT')));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { response_action: string; errors: Record<string, string> };
    expect(body.response_action).toBe('errors');
    expect(body.errors.name).toMatch(/not a member of team Alpha Sales/);
    expect(await rowCounts(suite.app)).toEqual(before);
  });
});

describe('markup in lead data reaches no reader live', () => {
  const LIVE = /<[!@#]|<https?:|<mailto:/;
  const hostile = {
    team: 'alpha',
    name: '<!channel> <https://evil.example/login|Verify your Slack session>',
    company: '*URGENT* <@U0000> @here',
    need: 'visit https://evil.example/pay now <#C0ALPHA>',
  };

  it('the card, the owner DM and their fallback texts hold no live mention, broadcast or link', async () => {
    suite.fake.reset();
    const id = await pooledLead(hostile);
    await suite.app.relay.drain();
    const card = suite.fake.of('chat.postMessage').find((c) => c.body.channel === 'C0ALPHA');
    expect(card).toBeDefined();
    expect((await send(signedForm(claimClick(repId(2), id, suite.fake.responseUrl('hostile'))))).status).toBe(200);
    await suite.fake.waitFor(
      () => suite.fake.of('chat.postMessage').some((c) => c.body.channel === repId(2)),
      'owner DM',
    );
    const dm = suite.fake.of('chat.postMessage').find((c) => c.body.channel === repId(2));
    for (const message of [card, dm]) {
      const json = JSON.stringify(message?.body.blocks);
      expect(json).not.toMatch(LIVE);
      expect(String(message?.body.text)).not.toMatch(LIVE);
      // Bare URLs and broadcast words in the fallback text are broken so no client links them.
      expect(String(message?.body.text)).not.toMatch(/https:\/\/evil|@here|<!channel>/);
      // Every mrkdwn text object is verbatim: Slack makes no link or mention out of plain words.
      const objects = [...mrkdwnObjects(message?.body.blocks)];
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) expect(object.verbatim).toBe(true);
      expect(String(message?.body.unfurl_links)).toBe('false');
    }
    // Shown as typed: the reader sees the text, escaped, not a broadcast.
    expect(JSON.stringify(dm?.body.blocks)).toContain('&lt;!channel&gt; &lt;https://evil.example/login|Verify');
  });

  it('ephemeral replies do not echo a user’s markup back live', async () => {
    const id = `eph${++seq}`;
    const res = await send(
      signedForm(slashCommand(repId(0), '<!channel> <https://evil.example|x>', suite.fake.responseUrl(id))),
    );
    expect(res.status).toBe(200);
    await suite.fake.waitFor(() => suite.fake.of(`respond:/respond/${id}`).length === 1, 'ephemeral reply');
    const reply = suite.fake.of(`respond:/respond/${id}`)[0];
    expect(JSON.stringify(reply?.body)).not.toMatch(LIVE);
  });
});

function* mrkdwnObjects(value: unknown): Generator<{ verbatim?: boolean }> {
  if (Array.isArray(value)) for (const v of value) yield* mrkdwnObjects(v);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn') yield o as { verbatim?: boolean };
    for (const v of Object.values(o)) yield* mrkdwnObjects(v);
  }
}

/** Signature headers for a raw body (signedForm signs URL-encoded fields). */
function signedRaw(body: string): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': signForTest(body, timestamp),
  };
}
