import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { INTAKE_KEY, postLead, startTestLeadpool, teamsYaml } from '../support/leadpool.js';

let db: TestDatabase;
let app: Leadpool;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await startTestLeadpool({ databaseUrl: db.url, poolSize: 20 });
});

afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

let seq = 0;
const uniquePhone = () => `+86 139 ${String(10_000_000 + ++seq).slice(-8)}`;
const count = () => app.db.prisma.lead.count();

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe('de-duplication on intake', () => {
  it('recognises the same person by phone, e-mail or name + company, however typed', async () => {
    const phone = uniquePhone();
    const first = await json(
      await postLead(app, { team: 'alpha', name: 'Li Lei', company: 'Yunfan Tech Co., Ltd.', phone }),
    );
    expect(first.outcome).toBe('created');
    const byPhone = await json(
      await postLead(app, { team: 'alpha', name: 'Lei Li', phone: phone.replace(/ /g, '-').replace('+86-', '0086 ') }),
    );
    expect(byPhone).toMatchObject({
      outcome: 'merged',
      status: 'merged',
      duplicateOf: { id: first.id },
      match: { on: 'phone', certainty: 'exact', via: null },
    });
    const byNameCompany = await json(await postLead(app, { team: 'alpha', name: 'LI  LEI', company: 'YUNFAN TECH' }));
    expect(byNameCompany).toMatchObject({
      outcome: 'merged',
      duplicateOf: { id: first.id },
      match: { on: 'name_company' },
    });
    const identical = await postLead(app, { team: 'alpha', name: 'Li Lei', company: 'Yunfan Tech Co., Ltd.', phone });
    expect(identical.status).toBe(200);
    expect(await json(identical)).toMatchObject({ outcome: 'duplicate', duplicateOf: { id: first.id } });
    const events = await app.db.prisma.leadEvent.findMany({
      where: { leadId: first.id as number, action: 'duplicate_received' },
    });
    expect(events).toHaveLength(2);
    // Only the first one was posted to the channel.
    const cards = await app.db.prisma.outboxMessage.findMany({ where: { kind: 'lead.card' } });
    expect(
      cards.filter((c) => [byPhone.id, byNameCompany.id].includes((c.payload as { leadId: number }).leadId)),
    ).toEqual([]);
  });

  it('follows a merge to the lead it went into: a key the merged lead brought keeps finding the person', async () => {
    const phone = uniquePhone();
    const first = await json(await postLead(app, { team: 'alpha', name: 'Han Mei', phone }));
    // A repeat by phone brings a new e-mail; it is merged into the first lead.
    const newEmail = `han.mei-${++seq}@globex.example`;
    const second = await json(await postLead(app, { team: 'alpha', name: 'Han Mei', phone, email: newEmail }));
    expect(second).toMatchObject({ outcome: 'merged', duplicateOf: { id: first.id } });
    // A third time with only that e-mail: it matches the merged lead, and is merged into the first one.
    const third = await json(await postLead(app, { team: 'alpha', name: 'H. Mei', email: newEmail }));
    expect(third).toMatchObject({
      outcome: 'merged',
      duplicateOf: { id: first.id },
      match: { on: 'email', certainty: 'exact', via: { id: second.id } },
    });
    // And on through a chain: a phone the third one brought finds the first lead too.
    const otherPhone = uniquePhone();
    await json(
      await postLead(app, { team: 'alpha', name: 'Han Mei', email: newEmail, phone: otherPhone, title: 'CFO' }),
    );
    const fourth = await json(await postLead(app, { team: 'alpha', name: 'Mei Han', phone: otherPhone }));
    expect(fourth).toMatchObject({ outcome: 'merged', duplicateOf: { id: first.id } });
    // An exact repeat of a merged submission is a repeat of the first lead.
    const repeat = await json(await postLead(app, { team: 'alpha', name: 'H. Mei', email: newEmail }));
    expect(repeat).toMatchObject({ outcome: 'duplicate', duplicateOf: { id: first.id } });
    // One person, one lead in the pool: everything else is merged into it.
    const pooled = await app.db.prisma.lead.count({ where: { name: { contains: 'Mei' }, status: 'pooled' } });
    expect(pooled).toBe(1);
  });

  it('weighs its evidence: a mobile is one person, a shared landline or switchboard is a question, tone marks are the name', async () => {
    // A family's home landline: her relative is asked about, never merged.
    const fang = await json(await postLead(app, { team: 'alpha', name: '陈芳', phone: '+86 10 6552 9988' }));
    const na = await json(await postLead(app, { team: 'alpha', name: '陈娜', phone: '+86-10-6552-9988' }));
    expect(na).toMatchObject({
      outcome: 'created',
      possibleDuplicateOf: { id: fang.id },
      match: { on: 'phone', certainty: 'possible' },
    });
    // Its card says what it may be, and why only possibly: nobody was asked, nothing was merged.
    const naCard = await new PrismaLeadReadModel(app.db.prisma).cardData(na.id as number);
    const alpha = teamDirectory(parseTeamsConfig(teamsYaml(), 'test').teams).find('alpha');
    if (!naCard || !alpha) throw new Error('no card');
    expect(presentLeadCard(naCard, alpha).notes.slice(0, 2)).toEqual([
      `May be the same person as L-${fang.id}; nothing was merged. Check it before you work this lead.`,
      'Recognised by the same landline or switchboard under another name or extension (only possibly the same).',
    ]);
    // An office switchboard: another extension is a colleague (asked about); the same extension and name is her.
    const ikeda = await json(
      await postLead(app, { team: 'alpha', name: '池田裕子', company: '東和電機', phone: '+81 3-1234-5678 内線 9247' }),
    );
    const saito = await json(
      await postLead(app, { team: 'alpha', name: '斎藤恵', company: '東和電機', phone: '+81 3 1234 5678（内線7472）' }),
    );
    expect(saito).toMatchObject({ outcome: 'created', possibleDuplicateOf: { id: ikeda.id } });
    const again = await json(
      await postLead(app, { team: 'alpha', name: '池田 裕子 様', phone: '+81-3-1234-5678 ext. 9247' }),
    );
    expect(again).toMatchObject({
      outcome: 'merged',
      duplicateOf: { id: ikeda.id },
      match: { on: 'phone', certainty: 'exact' },
    });
    expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id: ikeda.id as number } })).toMatchObject({
      phone: '+81312345678',
      phoneExt: '9247',
    });
    // A mobile is one person's, whatever name comes with it.
    const mobile = uniquePhone();
    const mei = await json(await postLead(app, { team: 'alpha', name: 'Han Meimei', phone: mobile }));
    expect(await json(await postLead(app, { team: 'alpha', name: 'Meimei', phone: mobile }))).toMatchObject({
      outcome: 'merged',
      duplicateOf: { id: mei.id },
    });
    // Vietnamese tone marks tell two people apart; German spelling and titles, branches and legal forms do not.
    const hung = await json(
      await postLead(app, { team: 'alpha', name: 'Bùi Đức Hùng', company: 'Công ty TNHH Phú Gia' }),
    );
    const hưng = await json(await postLead(app, { team: 'alpha', name: 'Bùi Đức Hưng', company: 'Phú Gia Co., Ltd.' }));
    // Never merged: the marks are the name. Asked about, since the names meet once the marks are folded.
    expect(hưng).toMatchObject({
      outcome: 'created',
      possibleDuplicateOf: { id: hung.id },
      match: { on: 'name_core', certainty: 'possible' },
    });
    expect(
      await json(await postLead(app, { team: 'alpha', name: 'Chị Bùi Đức Hùng', company: 'CTY TNHH PHÚ GIA' })),
    ).toMatchObject({
      outcome: 'merged',
      duplicateOf: { id: hung.id },
    });
    const weiss = await json(
      await postLead(app, { team: 'alpha', name: 'Günter Weiß', company: 'Brückner Maschinenbau GmbH' }),
    );
    expect(
      await json(
        await postLead(app, {
          team: 'alpha',
          name: 'Herr Dipl.-Ing. Guenter Weiss',
          company: 'Brueckner Maschinenbau G.m.b.H., Niederlassung München',
        }),
      ),
    ).toMatchObject({ outcome: 'merged', duplicateOf: { id: weiss.id }, match: { on: 'name_company' } });
  });

  it('meets a short trade name and the registered name only as a possible match: noted or asked, never merged', async () => {
    const first = await json(await postLead(app, { team: 'alpha', name: '韩梅梅', company: '深圳市瑞丰科技有限公司' }));
    const short = await json(await postLead(app, { team: 'alpha', name: '韩 梅梅', company: '瑞丰' }));
    expect(short).toMatchObject({
      outcome: 'created',
      status: 'pooled',
      possibleDuplicateOf: { id: first.id },
      match: { on: 'name_core', certainty: 'possible' },
    });
    const stored = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: short.id as number } });
    expect(stored).toMatchObject({ status: 'pooled', duplicateOfId: first.id, matchOn: 'name_core' });
    // Its card says what it may be, and on what.
    const card = await new PrismaLeadReadModel(app.db.prisma).cardData(short.id as number);
    const team = teamDirectory(parseTeamsConfig(teamsYaml(), 'test').teams).find('alpha');
    if (!card || !team) throw new Error('no card');
    expect(presentLeadCard(card, team).notes.slice(0, 2)).toEqual([
      `May be the same person as L-${first.id}; nothing was merged. Check it before you work this lead.`,
      'Recognised by the same name at a company of a similar name (only possibly the same).',
    ]);
    // Once someone owns the registered one, its owner is asked instead.
    const member = await app.db.prisma.member.findFirstOrThrow({ where: { teamId: 'alpha', role: 'rep' } });
    await app.db.prisma.lead.update({
      where: { id: first.id as number },
      data: { ownerId: member.id, status: 'owned' },
    });
    await app.db.prisma.lead.update({ where: { id: short.id as number }, data: { status: 'closed', stage: 'lost' } });
    const asked = await json(await postLead(app, { team: 'alpha', name: '韩梅梅', company: '瑞丰贸易' }));
    expect(asked).toMatchObject({ outcome: 'awaiting_owner', match: { on: 'name_core', certainty: 'possible' } });
    // A different person at the same company is not even possibly them.
    expect(await json(await postLead(app, { team: 'alpha', name: '李雷', company: '瑞丰' }))).toMatchObject({
      outcome: 'created',
    });
  });

  it('asks the owner instead of pooling a duplicate of an owned lead', async () => {
    const email = `owned-${++seq}@acme.example`;
    const first = await json(await postLead(app, { team: 'alpha', name: 'Owned Person', email }));
    const member = await app.db.prisma.member.findFirstOrThrow({ where: { teamId: 'alpha', role: 'rep' } });
    await app.db.prisma.lead.update({
      where: { id: first.id as number },
      data: { ownerId: member.id, status: 'owned' },
    });
    const dup = await json(await postLead(app, { team: 'alpha', name: 'Owned P.', email: email.toUpperCase() }));
    expect(dup).toMatchObject({ outcome: 'awaiting_owner', status: 'awaiting_owner', duplicateOf: { id: first.id } });
    const stored = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: dup.id as number } });
    expect(stored.duplicateDueAt).not.toBeNull();
    const asks = await app.db.prisma.outboxMessage.findMany({
      where: { kind: 'duplicate.ask', orderKey: `slack:lead:${dup.id}` },
    });
    expect(asks.map((a) => a.payload)).toEqual([
      { kind: 'duplicate.ask', leadId: dup.id, memberId: member.id, existingLeadId: first.id, on: 'email' },
    ]);
  });

  it('two simultaneous intakes of the same person give one lead', async () => {
    for (let round = 0; round < 5; round++) {
      const phone = uniquePhone();
      const before = await count();
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          postLead(app, { team: 'alpha', name: `Racer ${round}`, phone, notes: `copy ${i}` }).then(json),
        ),
      );
      const created = answers.filter((a) => a.outcome === 'created');
      expect(created).toHaveLength(1);
      expect(answers.filter((a) => a.outcome === 'merged')).toHaveLength(7);
      expect(
        answers.every((a) => a.outcome === 'created' || (a.duplicateOf as { id: number }).id === created[0]?.id),
      ).toBe(true);
      const primaries = await app.db.prisma.lead.count({ where: { phone: phone.replace(/ /g, ''), status: 'pooled' } });
      expect(primaries).toBe(1);
      expect(await count()).toBe(before + 8);
    }
  });
});

describe('batch intake', () => {
  it('stores a batch in one go and reports exact repeats inside it', async () => {
    const phone = uniquePhone();
    const res = await post('/api/leads/batch', {
      leads: [
        { team: 'alpha', name: 'Batch One', phone },
        { team: 'alpha', name: 'Batch Two', email: `two-${seq}@b.example` },
        { team: 'alpha', name: 'Batch One', phone },
        { team: 'alpha', name: 'Batch Uno', phone },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Record<string, unknown>[]; summary: Record<string, number> };
    expect(body.summary).toEqual({ created: 2, merged: 1, awaiting_owner: 0, duplicate: 1 });
    expect(body.results[2]).toMatchObject({ index: 2, outcome: 'duplicate', sameAsIndex: 0, duplicateOf: null });
    expect(body.results[3]).toMatchObject({ outcome: 'merged', duplicateOf: { id: body.results[0]?.id } });
  });

  it('stores nothing when any lead is no lead at all, and says which and why', async () => {
    const before = await count();
    const res = await post('/api/leads/batch', {
      leads: [
        { team: 'alpha', name: 'Fine', email: `fine-${++seq}@x.example` },
        { team: 'alpha', email: `nameless-${seq}@x.example` },
        { team: 'omega', name: 'No such team' },
      ],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { items: { index: number; fields: Record<string, string[]> }[] };
    expect(body.items.map((i) => i.index)).toEqual([1, 2]);
    expect(body.items[0]?.fields.name).toEqual(['is required']);
    expect(body.items[1]?.fields.team?.[0]).toMatch(/^unknown team; known teams: alpha/);
    expect(await count()).toBe(before);
  });

  it('keeps a lead whose source or size cannot be read, saying so and keeping what was sent', async () => {
    const res = await post('/api/leads/batch', {
      leads: [
        { team: 'alpha', name: 'Bad source', email: `src-${++seq}@x.example`, source: 'billboard' },
        { team: 'alpha', name: 'Bad size', email: `size-${seq}@x.example`, companySize: 'huge' },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: number; warnings: Record<string, string[]> }[] };
    expect(body.results[0]?.warnings.source?.[0]).toMatch(
      /^unknown source; known sources: event, website.*; what was sent is kept as the attribute “source”$/,
    );
    expect(body.results[1]?.warnings.companySize?.[0]).toMatch(/1-10/);
    const stored = await app.db.prisma.lead.findMany({
      where: { id: { in: body.results.map((r) => r.id) } },
      orderBy: { id: 'asc' },
    });
    expect(stored.map((l) => [l.source, l.companySize, l.attributes])).toEqual([
      [null, null, { source: 'billboard' }],
      [null, null, { companySize: 'huge' }],
    ]);
  });

  it('refuses an empty, missing or oversized batch', async () => {
    expect((await post('/api/leads/batch', { leads: [] })).status).toBe(400);
    expect((await post('/api/leads/batch', { lead: {} })).status).toBe(400);
    const many = Array.from({ length: 501 }, (_, i) => ({ team: 'alpha', name: `N${i}` }));
    const res = await post('/api/leads/batch', { leads: many });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ fields: { leads: ['at most 500 leads per request'] } });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer for a repeat and refuses another body under the same key', async () => {
    const key = `key-${++seq}`;
    const body = { team: 'alpha', name: 'Idem Potent', email: `idem-${seq}@x.example` };
    const first = await post('/api/leads', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const before = await count();
    const again = await post('/api/leads', body, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(firstBody);
    const other = await post('/api/leads', { ...body, name: 'Someone Else' }, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(await other.json()).toMatchObject({ error: 'idempotency_key_reused' });
    expect(await count()).toBe(before);
  });

  it('gives concurrent requests with one key one lead and the same answer', async () => {
    const key = `concurrent-${++seq}`;
    const body = { team: 'alpha', name: 'Concurrent Key', notes: `n${seq}` };
    const before = await count();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post('/api/leads', body, { 'idempotency-key': key })),
    );
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([201]));
    for (const b of bodies) expect(b).toEqual(bodies[0]);
    expect(bodies[0]).toMatchObject({ outcome: 'created' });
    expect(await count()).toBe(before + 1);
  });

  it('keeps keys for the promised time and then forgets them (housekeeping)', async () => {
    const { housekeepingJob, IDEMPOTENCY_KEEP_MS } = await import('../../src/jobs/housekeeping.job.js');
    const { ManualClock } = await import('../../src/domain/shared/clock.js');
    const { PrismaLeadStore } = await import('../../src/infra/db/lead.repository.js');
    const { createLogger } = await import('../../src/infra/logger.js');
    const key = `old-${++seq}`;
    expect((await post('/api/leads', { team: 'alpha', name: 'Old Key' }, { 'idempotency-key': key })).status).toBe(201);
    const created = (await app.db.prisma.idempotencyKey.findFirstOrThrow({ where: { key } })).createdAt;
    const store = new PrismaLeadStore(app.db.prisma);
    const clock = new ManualClock(new Date(created.getTime() + 24 * 3_600_000));
    const job = housekeepingJob(
      {
        purgeIdempotencyKeys: (b) => store.purgeIdempotencyKeys(b),
        purgeSentOutbox: async () => 0,
        purgeCardCounters: async () => 0,
        clock,
      },
      createLogger('error'),
    );
    await job.run();
    expect(await app.db.prisma.idempotencyKey.count({ where: { key } })).toBe(1);
    clock.set(new Date(created.getTime() + IDEMPOTENCY_KEEP_MS + 1000));
    await job.run();
    expect(await app.db.prisma.idempotencyKey.count({ where: { key } })).toBe(0);
  });

  it('refuses a malformed key', async () => {
    const res = await post('/api/leads', { team: 'alpha', name: 'K' }, { 'idempotency-key': 'x'.repeat(256) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_idempotency_key' });
  });
});

describe('OpenAPI', () => {
  it('describes the intake API with the schema that validates it', async () => {
    const res = await fetch(`${app.url}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: {
          LeadInput: { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
        };
      };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/leads', '/api/leads/batch']));
    const lead = doc.components.schemas.LeadInput;
    expect(lead.required).toEqual(['team', 'name']);
    expect(lead.additionalProperties).toBe(false);
    expect(Object.keys(lead.properties)).toEqual(
      expect.arrayContaining([
        'budget',
        'decisionRole',
        'subSource',
        'campaign',
        'signals',
        'companySize',
        'externalId',
      ]),
    );
  });
});
