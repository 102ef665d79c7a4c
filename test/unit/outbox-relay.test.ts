import { describe, expect, it } from 'vitest';
import type { Notification } from '../../src/domain/notifications/notification.js';
import type { NotificationSink } from '../../src/domain/notifications/notification-sink.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import type { LeasedMessage, OutboxRepository } from '../../src/infra/db/outbox.repository.js';
import { createLogger } from '../../src/infra/logger.js';
import { OutboxRelay } from '../../src/infra/outbox/outbox-relay.js';

const subjectOf = (m: LeasedMessage) => ('leadId' in m.notification ? m.notification.leadId : 0);

/**
 * An outbox whose subjects are leads (one lead's messages go in order), and whose lease answers
 * only when the test says so: the relay's view of the queue can then be made stale on purpose, as
 * a busy database makes it by chance.
 */
class ScriptedOutbox {
  readonly queue: LeasedMessage[] = [];
  leases = 0;
  private heldLease: { release: () => void } | null = null;
  /** The lease (counted from 1) that answers only when `releaseLease()` is called. */
  holdLease = 0;

  constructor(notifications: Notification[]) {
    for (const notification of notifications) this.add(notification);
  }

  /** Queues a message, as a commit does. */
  add(notification: Notification): void {
    const id = BigInt(this.queue.reduce((n, m) => Math.max(n, Number(m.id)), 0) + 1);
    this.queue.push({ id, attempts: 1, notification, superseded: false, createdAt: new Date(0) });
  }

  private locked = new Set<bigint>();

  /** Leases run out at once: a locked head is free again for any lease that does not exclude it. */
  leaseExpired = false;
  readonly renewed: bigint[][] = [];

  async lease(
    _sink: string,
    _now: Date,
    _ms: number,
    _limit: number,
    busy: readonly bigint[] = [],
  ): Promise<LeasedMessage[]> {
    this.leases++;
    // The snapshot is taken now: each subject's head, if it is locked, is skipped (FOR UPDATE SKIP LOCKED).
    const heads = this.queue.filter((m, n) => this.queue.findIndex((o) => subjectOf(o) === subjectOf(m)) === n);
    const answer = heads.filter((h) => !busy.includes(h.id) && (this.leaseExpired || !this.locked.has(h.id)));
    for (const m of answer) this.locked.add(m.id);
    if (this.leases === this.holdLease) {
      await new Promise<void>((release) => {
        this.heldLease = { release };
      });
    }
    return answer;
  }

  releaseLease(): void {
    this.heldLease?.release();
    this.heldLease = null;
  }

  get leaseHeld(): boolean {
    return this.heldLease !== null;
  }

  async renewLeases(ids: readonly bigint[]): Promise<void> {
    this.renewed.push([...ids]);
  }

  async markSent(ids: bigint[]): Promise<void> {
    for (const id of ids) {
      this.locked.delete(id);
      const at = this.queue.findIndex((m) => m.id === id);
      if (at >= 0) this.queue.splice(at, 1);
    }
  }
}

class GatedSink implements NotificationSink {
  readonly name = 'slack';
  got: Notification[] = [];
  private gates: (() => void)[] = [];
  /** The notifications handed to the sink so far, delivered or not. */
  started: Notification[] = [];

  async deliver(notification: Notification): Promise<void> {
    this.started.push(notification);
    await new Promise<void>((open) => this.gates.push(open));
    this.got.push(notification);
  }

  get waiting(): number {
    return this.gates.length;
  }

  openOne(): void {
    this.gates.shift()?.();
  }
}

const tick = () => new Promise((r) => setImmediate(r));

/** Lets the relay run up to 200 turns of the event loop (no clock: its sinks are gated by hand) until `check` holds. */
async function afterTicks(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await tick();
  expect(check()).toBe(true);
}

const relayOver = (outbox: ScriptedOutbox, sink: GatedSink, options: { leaseMs?: number } = {}) =>
  new OutboxRelay(
    outbox as unknown as OutboxRepository,
    [sink],
    new ManualClock(new Date(0)),
    createLogger('error'),
    options,
  );

describe('outbox relay', () => {
  it('leases again when a message settles while a lease that saw it unsent is still out', async () => {
    const card: Notification = { kind: 'lead.card', leadId: 1 };
    const dm: Notification = { kind: 'member.dm', memberId: 'm', leadId: 1, topic: 'dm.claim_won', params: {} };
    const outbox = new ScriptedOutbox([card, dm]);
    const sink = new GatedSink();
    const relay = relayOver(outbox, sink);

    // The second lease sees the card still unsent and locked, so it finds nothing; it answers late.
    outbox.holdLease = 2;
    const drained = relay.drain();
    await afterTicks(() => sink.waiting === 1 && outbox.leaseHeld);
    sink.openOne(); // the card is delivered and marked sent while that lease is out
    await afterTicks(() => outbox.queue.length === 1);
    outbox.releaseLease(); // …which now answers "nothing"

    await afterTicks(() => sink.waiting === 1); // the DM is leased: the pass did not take that answer as "all done"
    sink.openOne();
    expect(await drained).toBe(2);
    expect(sink.got).toEqual([card, dm]);
  });

  it('leases again when a message is queued while a lease is out, rather than wait on a call that hangs', async () => {
    const hanging: Notification = { kind: 'lead.card', leadId: 1 };
    const later: Notification = { kind: 'lead.card', leadId: 2 };
    const outbox = new ScriptedOutbox([hanging]);
    const sink = new GatedSink();
    const relay = relayOver(outbox, sink);

    // The second lease (taken while the first card's call hangs) answers only after the next card is queued.
    outbox.holdLease = 2;
    const drained = relay.drain();
    await afterTicks(() => sink.waiting === 1 && outbox.leaseHeld);
    outbox.add(later);
    relay.kick(); // the commit's kick, while that lease is out: it saw the queue before the new card
    outbox.releaseLease();

    // The new card goes out though the first call still hangs.
    await afterTicks(() => sink.started.length === 2);
    expect(sink.started).toEqual([hanging, later]);
    sink.openOne();
    sink.openOne();
    expect(await drained).toBe(2);
  });

  it('never delivers a message twice at once when its lease runs out mid-delivery, and renews the lease meanwhile', async () => {
    const card: Notification = { kind: 'lead.card', leadId: 2 };
    const outbox = new ScriptedOutbox([card]);
    outbox.leaseExpired = true; // every lease sees the head free again, as after a lease ran out
    const sink = new GatedSink();
    const relay = relayOver(outbox, sink, { leaseMs: 150 });
    const drained = relay.drain();
    await afterTicks(() => sink.waiting === 1);
    // The slow delivery outlives several leases: it is renewed, and not leased out again.
    await new Promise((r) => setTimeout(r, 400));
    expect(outbox.renewed.length).toBeGreaterThanOrEqual(2);
    expect(outbox.renewed.every((ids) => ids.length === 1 && ids[0] === 1n)).toBe(true);
    relay.kick();
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.waiting).toBe(1);
    sink.openOne();
    expect(await drained).toBe(1);
    expect(sink.got).toEqual([card]);
    const renewals = outbox.renewed.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(outbox.renewed.length).toBe(renewals); // nothing in flight, nothing renewed
    await relay.stop();
  });
});
