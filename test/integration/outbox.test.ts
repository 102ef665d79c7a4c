import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications/notification.js';
import type { NotificationSink } from '../../src/domain/notifications/notification-sink.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { OutboxRepository } from '../../src/infra/db/outbox.repository.js';
import { createLogger } from '../../src/infra/logger.js';
import { OutboxRelay } from '../../src/infra/outbox/outbox-relay.js';
import { housekeepingJob, SENT_OUTBOX_KEEP_MS } from '../../src/jobs/housekeeping.job.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { until } from '../support/until.js';

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

async function insert(subject: string, payload: unknown, fields: { sentAt?: Date; deadAt?: Date } = {}) {
  const row = await db.prisma.outboxMessage.create({
    data: {
      sink: 'slack',
      kind: 'lead.card',
      orderKey: `slack:${subject}`,
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
    const leased = await outbox.lease('slack', now, 60_000, 10);
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
    expect((await outbox.lease('slack', now, 60_000, 10)).map((m) => m.id)).toEqual([next]);
    await outbox.markSent([next], now);
  });

  it('never leases a message its sender is still working on, and renews that lease until it is done', async () => {
    const busy = await insert('lead:950', { kind: 'lead.card', leadId: 950 });
    const other = await insert('lead:951', { kind: 'lead.card', leadId: 951 });
    expect((await outbox.lease('slack', now, 1_000, 10, [busy])).map((m) => m.id)).toEqual([other]);
    await outbox.markSent([other], now);
    expect((await outbox.lease('slack', now, 1_000, 10)).map((m) => m.id)).toEqual([busy]);
    // Its lease ran out, but it is still in flight: renewed, nobody else may take it.
    const later = new Date(now.getTime() + 5_000);
    await outbox.renewLeases([busy], new Date(later.getTime() + 1_000));
    expect(await outbox.lease('slack', later, 1_000, 10)).toEqual([]);
    await outbox.markSent([busy], later);
    // A delivered message is not renewed back to life.
    await outbox.renewLeases([busy], new Date(later.getTime() + 60_000));
    const row = await db.prisma.outboxMessage.findUniqueOrThrow({ where: { id: busy } });
    expect(row.lockedUntil).toBeNull();
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
      {
        purgeIdempotencyKeys: async () => 0,
        purgeSentOutbox: (b) => outbox.purgeSent(b),
        purgeCardCounters: async () => 0,
        clock: new ManualClock(now),
      },
      createLogger('error'),
    );
    await job.run();
    const left = (await db.prisma.outboxMessage.findMany({ where: { id: { in: [old, recent, pending, dead] } } })).map(
      (r) => r.id,
    );
    expect(left.sort()).toEqual([recent, pending, dead].sort());
    expect(SENT_OUTBOX_KEEP_MS).toBe(7 * DAY);
  });

  it('leases the DMs people wait for before card edits, through the driver as through the ORM', async () => {
    for (const lease of [outbox, new OutboxRepository(db.prisma, db.sql)]) {
      await db.prisma.outboxMessage.deleteMany();
      const store = new PrismaLeadStore(db.prisma, { messengers: ['slack'] });
      await store.transaction(async (tx) => {
        for (const leadId of [1, 2, 3]) await tx.enqueue({ kind: 'lead.card', leadId }, now);
        for (const leadId of [1, 2, 3])
          await tx.enqueue({ kind: 'member.dm', memberId: 'm', leadId, topic: 'dm.claim_won', params: {} }, now);
      });
      const first = await lease.lease('slack', now, 60_000, 3);
      expect(first.map((m) => m.notification.kind)).toEqual(['member.dm', 'member.dm', 'member.dm']);
      expect(typeof first[0]?.id).toBe('bigint');
      const rest = await lease.lease('slack', now, 60_000, 10);
      expect(rest.map((m) => m.notification.kind)).toEqual(['lead.card', 'lead.card', 'lead.card']);
    }
  });

  it('leases messages in the order they became ready: one put off to its turn does not go before one queued meanwhile', async () => {
    await db.prisma.outboxMessage.deleteMany();
    const at = (agoMs: number) => new Date(now.getTime() - agoMs);
    // A burst's card, queued first and put off to its channel's turn, which came a second ago…
    const putOff = await insert('lead:701', { kind: 'lead.card', leadId: 701 });
    await outbox.markDeferred(putOff, at(1_000));
    // …and another channel's card, queued two seconds ago, while the first one waited.
    const queuedMeanwhile = await insert('lead:702', { kind: 'lead.card', leadId: 702 });
    await db.prisma.outboxMessage.update({ where: { id: queuedMeanwhile }, data: { availableAt: at(2_000) } });
    expect((await outbox.lease('slack', now, 60_000, 1)).map((m) => m.id)).toEqual([queuedMeanwhile]);
    expect((await outbox.lease('slack', now, 60_000, 1)).map((m) => m.id)).toEqual([putOff]);
  });

  it('delivers each messenger in its own lane: a failing or hung one never holds back the other', async () => {
    await db.prisma.outboxMessage.deleteMany();
    const clock = new ManualClock(now);
    const store = new PrismaLeadStore(db.prisma, { messengers: ['slack', 'lark'] });
    const lead = await db.prisma.lead.create({ data: { teamId: await teamId(), name: 'Lane test' } });
    const card: Notification = { kind: 'lead.card', leadId: lead.id };
    const dm: Notification = { kind: 'member.dm', memberId: 'm', leadId: lead.id, topic: 'dm.claim_won', params: {} };
    await store.transaction(async (tx) => {
      await tx.enqueue(card, now);
      await tx.enqueue(dm, now);
    });
    const rows = await db.prisma.outboxMessage.findMany({
      where: { orderKey: { contains: `lead:${lead.id}` } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => `${r.sink}/${r.kind}`)).toEqual([
      'lark/lead.card',
      'lark/member.dm',
      'slack/lead.card',
      'slack/member.dm',
    ]);

    const slack = new RecordingSink('slack');
    const lark = new RecordingSink('lark');
    const relay = new OutboxRelay(new OutboxRepository(db.prisma), [slack, lark], clock, createLogger('error'));
    slack.mode = 'fail';
    expect(await relay.drain()).toBe(2);
    expect(lark.got).toHaveLength(2);
    expect(lark.got).toEqual(expect.arrayContaining([card, dm]));
    expect(slack.got).toEqual([]);
    // The card and the DM were each tried: a person's DM does not wait for its lead's card.
    expect(slack.tries).toBe(2);

    // Slack hangs: Lark still goes out at once. The second edit of the card waits behind the first.
    slack.mode = 'hang';
    clock.advance(10_000);
    await store.transaction((tx) => tx.enqueue(card, clock.now()));
    let settled = false;
    const stuck = relay.drain().finally(() => {
      settled = true;
    });
    // Both lanes start at once; on a busy machine Slack's lease may land a moment after Lark is done.
    await until(() => lark.got.length >= 3 && slack.hanging >= 2, 'Lark delivered while Slack hangs', 2_000);
    expect(lark.got.slice(2)).toEqual([card]);
    expect(slack.hanging).toBe(2);
    expect(settled).toBe(false);

    // Slack recovers: its three messages follow, each once, the card's edits in order.
    slack.mode = 'ok';
    slack.release();
    await stuck;
    clock.advance(600_000);
    await relay.drain();
    expect(slack.got).toHaveLength(3);
    expect(slack.got.filter((n) => n.kind === 'lead.card')).toEqual([card, card]);
    expect(slack.got).toContainEqual(dm);
    expect(lark.got).toHaveLength(3);
    expect(await relay.drain()).toBe(0);
  });
});

async function teamId(): Promise<string> {
  await db.prisma.team.upsert({
    where: { id: 'lanes' },
    create: { id: 'lanes', name: 'Lanes', timezone: 'UTC' },
    update: {},
  });
  return 'lanes';
}

/** A messenger that records what it delivered and can fail or hang on demand. */
class RecordingSink implements NotificationSink {
  got: Notification[] = [];
  tries = 0;
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  private waiting: (() => void)[] = [];
  constructor(readonly name: string) {}

  async deliver(notification: Notification): Promise<void> {
    this.tries++;
    if (this.mode === 'fail') throw new Error(`${this.name} is down`);
    if (this.mode === 'hang') {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      throw new Error(`${this.name} timed out`);
    }
    this.got.push(notification);
  }

  get hanging(): number {
    return this.waiting.length;
  }

  release(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}
