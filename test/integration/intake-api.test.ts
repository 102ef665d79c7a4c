import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { postLead, startTestLeadpool } from '../support/leadpool.js';

let db: TestDatabase;
let app: Leadpool;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestLeadpool({ databaseUrl: db.url });
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const leadCount = () => app.db.prisma.lead.count();

describe('POST /api/leads', () => {
  it('creates a lead in the pool, writes its audit row, and queues its card', async () => {
    const res = await postLead(app, {
      team: 'alpha',
      name: 'Ann Lee',
      email: 'ANN@example.com',
      phone: '+1 415 555 0100',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; ref: string; status: string };
    expect(body).toMatchObject({ ref: `L-${body.id}`, status: 'pooled' });
    const lead = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: body.id } });
    expect(lead.email).toBe('ann@example.com');
    expect(await app.db.prisma.leadEvent.count({ where: { leadId: body.id, action: 'created' } })).toBe(1);
    // No messenger is configured here: the card waits in the outbox, undelivered, not marked sent.
    await app.relay.drain();
    const queued = await app.db.prisma.outboxMessage.findMany({
      where: { orderKey: { endsWith: `:lead:${body.id}` } },
      orderBy: { sink: 'asc' },
    });
    expect(queued.map((m) => [m.sink, m.kind, m.sentAt, m.deadAt])).toEqual([
      ['lark', 'lead.card', null, null],
      ['slack', 'lead.card', null, null],
    ]);
  });

  it('keeps a lead whose e-mail was pasted from a mail client and whose fields carry invisible characters', async () => {
    const res = await postLead(app, {
      team: 'alpha',
      name: 'Maria\u200B Schmidt',
      email: '"Maria Schmidt" <Maria-Schmidt@Siemens.example>',
      company: 'Siemens\uFEFF',
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({
      name: 'Maria Schmidt',
      email: 'maria-schmidt@siemens.example',
      company: 'Siemens',
    });
  });

  it.each([
    ['missing fields', {}, { team: ['is required'], name: ['is required'] }],
    [
      'wrong types',
      { team: 'alpha', name: 42, email: true },
      { name: ['must be a string'], email: ['must be a string'] },
    ],
    ['unknown team', { team: 'omega', name: 'A' }, { team: ['unknown team; known teams: alpha'] }],
  ])('answers 400 with field errors for %s, and writes nothing', async (_case, body, fields) => {
    const before = await leadCount();
    const res = await postLead(app, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'validation_failed', fields });
    expect(await leadCount()).toBe(before);
  });

  it('keeps an e-mail and a phone that cannot be read as typed, with warnings, and stores the lead', async () => {
    const res = await postLead(app, { team: 'alpha', name: 'A', email: 'a@', phone: 'none' });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: number; warnings: Record<string, string[]> };
    expect(body.warnings).toEqual({
      email: ['kept as typed: not a valid e-mail address'],
      phone: [expect.stringMatching(/^kept as typed: not a valid phone number/)],
    });
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id: body.id } })).toMatchObject({
      email: 'a@',
      phone: 'none',
    });
  });

  it('answers 400 for a body that is not JSON', async () => {
    const before = await leadCount();
    const res = await postLead(app, '{"team": "alpha",');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_json' });
    expect(await leadCount()).toBe(before);
  });

  it('answers 401 for a missing or wrong key, 413 for an oversized body, 415 for non-JSON', async () => {
    const before = await leadCount();
    expect((await postLead(app, { team: 'alpha', name: 'A' }, 'wrong-key-wrong-key')).status).toBe(401);
    const noKey = await fetch(`${app.url}/api/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(noKey.status).toBe(401);
    expect((await postLead(app, { team: 'alpha', name: 'A', notes: 'x'.repeat(70_000) })).status).toBe(413);
    const form = await fetch(`${app.url}/api/leads`, {
      method: 'POST',
      headers: { authorization: 'Bearer test-intake-key-0123456789abcdef', 'content-type': 'text/plain' },
      body: 'name=A',
    });
    expect(form.status).toBe(415);
    expect(await leadCount()).toBe(before);
  });

  it('reports database health', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      database: 'up',
      outbox: { pending: expect.any(Number), undelivered: 0 },
      messengers: { slack: { state: 'off' }, lark: { state: 'off' } },
    });
    expect((await fetch(`${app.url}/nope`)).status).toBe(404);
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
