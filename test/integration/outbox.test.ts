import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { OutboxRepository } from '../../src/infra/db/outbox.repository.js';
import { createLogger } from '../../src/infra/logger.js';
import { housekeepingJob, SENT_OUTBOX_KEEP_MS } from '../../src/jobs/housekeeping.job.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let testDb: TestDatabase;
let db: Database;
let outbox: OutboxRepository;
const DAY = 24 * 3_600_000;
const now = new Date('2026-03-10T09:00:00Z');

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 3 });
  outbox = new OutboxRepository(db.prisma);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function insert(orderKey: string, payload: unknown, fields: { sentAt?: Date; deadAt?: Date } = {}) {
  const row = await db.prisma.outboxMessage.create({
    data: {
      kind: 'lead.card',
      orderKey,
      payload: payload as object,
      createdAt: new Date(now.getTime() - 9 * DAY),
      availableAt: new Date(now.getTime() - 9 * DAY),
      ...fields,
    },
  });
  return row.id;
}

describe('outbox', () => {
  it('sets an unreadable row aside at once and still hands out the readable ones', async () => {
    const bad = await insert('lead:901', { kind: 'lead.card', leadId: 'not a number' });
    const unknownKind = await insert('lead:902', { kind: 'lead.fax', leadId: 1 });
    const good = await insert('lead:903', { kind: 'lead.card', leadId: 903 });
    const leased = await outbox.lease(now, 60_000, 10);
    expect(leased.map((m) => m.id)).toEqual([good]);
    expect(leased[0]?.notification).toEqual({ kind: 'lead.card', leadId: 903 });
    for (const id of [bad, unknownKind]) {
      const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row.deadAt).toEqual(now);
      expect(row.lastError).toMatch(/^unreadable payload/);
    }
    await outbox.markSent([good], now);
    // The next message of the same lead is not held back by the unreadable one before it.
    const next = await insert('lead:901', { kind: 'lead.card', leadId: 901 });
    expect((await outbox.lease(now, 60_000, 10)).map((m) => m.id)).toEqual([next]);
    await outbox.markSent([next], now);
  });

  it('housekeeping forgets delivered messages after a week and keeps pending and given-up ones', async () => {
    const old = await insert('lead:1', { kind: 'lead.card', leadId: 1 }, { sentAt: new Date(now.getTime() - 8 * DAY) });
    const recent = await insert('lead:2', { kind: 'lead.card', leadId: 2 }, { sentAt: new Date(now.getTime() - DAY) });
    const pending = await insert('lead:3', { kind: 'lead.card', leadId: 3 });
    const dead = await insert(
      'lead:4',
      { kind: 'lead.card', leadId: 4 },
      { deadAt: new Date(now.getTime() - 8 * DAY) },
    );
    const job = housekeepingJob(
      { purgeIdempotencyKeys: async () => 0, purgeSentOutbox: (b) => outbox.purgeSent(b), clock: new ManualClock(now) },
      createLogger('error'),
    );
    await job.run();
    const left = (await db.prisma.outboxMessage.findMany({ where: { id: { in: [old, recent, pending, dead] } } })).map(
      (r) => r.id,
    );
    expect(left.sort()).toEqual([recent, pending, dead].sort());
    expect(SENT_OUTBOX_KEEP_MS).toBe(7 * DAY);
  });
});
