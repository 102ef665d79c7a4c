import { DeliveryDeferred, type NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeasedMessage, OutboxRepository } from '../db/outbox.repository.js';
import { errorFields, type Logger } from '../logger.js';

export interface OutboxRelayOptions {
  leaseMs?: number;
  /** Messages in flight at once, per messenger. */
  batchSize?: number;
  maxAttempts?: number;
}

/** Retry delay after the n-th failed attempt: 2 s, 4 s, 8 s … capped at 5 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(300_000, 1000 * 2 ** attempts);
}

/**
 * Sends what the outbox holds, each messenger in its own lane: a slow or failing messenger never
 * delays another. `kick()` is called after a commit that queued something, so notifications go out
 * at once; `start()` also polls, which picks up work from other instances and from a crash.
 */
/** What /healthz says of one messenger's deliveries: the last failure and any wait asked for. No secrets. */
export interface DeliveryHealth {
  lastDelivered: string | null;
  lastError: { message: string; at: string } | null;
  /** Set while the messenger asked us to wait (a rate limit, a destination held back). */
  waitingUntil: string | null;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private readonly lanes = new Map<NotificationSink, SinkLane>();
  private readonly settings: LaneSettings;

  constructor(
    private readonly outbox: OutboxRepository,
    /** Read at every kick: messengers start after the relay exists. */
    private readonly sinks: readonly NotificationSink[],
    private readonly clock: Clock,
    private readonly log: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.settings = {
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: options.batchSize ?? 16,
      maxAttempts: options.maxAttempts ?? 8,
    };
  }

  /** Each messenger's delivery health, by its name. */
  health(): Record<string, DeliveryHealth> {
    return Object.fromEntries(this.currentLanes().map((lane) => [lane.name, lane.health()]));
  }

  private currentLanes(): SinkLane[] {
    return this.sinks.map((sink) => {
      let lane = this.lanes.get(sink);
      if (!lane) {
        lane = new SinkLane(sink, this.outbox, this.clock, this.log, this.settings);
        this.lanes.set(sink, lane);
      }
      return lane;
    });
  }

  kick(): void {
    for (const lane of this.currentLanes()) lane.kick(true);
  }

  /** Delivers until nothing is ready in any lane; returns how many messages were sent. */
  async drain(): Promise<number> {
    const sent = await Promise.all(this.currentLanes().map((lane) => lane.drain()));
    return sent.reduce((a, b) => a + b, 0);
  }

  start(pollMs: number): void {
    // A poll brings nothing new of its own: unlike a kick, it never makes a lease just taken look stale.
    this.timer ??= setInterval(() => {
      for (const lane of this.currentLanes()) lane.kick(false);
    }, pollMs);
    this.timer.unref();
  }

  /**
   * Stops leasing, lets the deliveries in flight finish for up to `graceMs`, then gives the leases
   * of any still going back (their next sender looks for the post before posting again), so another
   * instance takes them at once rather than after the lease runs out. Returns how many were given back.
   */
  async stop(graceMs = 10_000): Promise<{ released: number }> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const released = await Promise.all([...this.lanes.values()].map((lane) => lane.stop(graceMs)));
    return { released: released.reduce((a, b) => a + b, 0) };
  }
}

interface LaneSettings {
  leaseMs: number;
  batchSize: number;
  maxAttempts: number;
}

/**
 * One messenger's delivery loop over its own outbox rows: up to `batchSize` messages in flight at
 * once, each settled on its own. A slow call holds only its own message (and so its subject: the
 * lease takes one message per subject), never the others; an outcome is recorded the moment it is
 * known, so a crash forgets at most the calls that were in flight.
 */
class SinkLane {
  private running: Promise<number> | null = null;
  private again = false;
  /** Set at shutdown: nothing more is leased, what is in flight finishes. */
  private closing = false;
  private readonly inFlight = new Set<Promise<boolean>>();
  /** The ids of the messages in flight: excluded from leases, and their leases kept while they last. */
  private readonly busy = new Set<bigint>();
  private renewTimer: NodeJS.Timeout | null = null;
  /**
   * Messages settled and messages queued (kicks) so far: a lease that began before either may have
   * missed the next message, so a pass that found nothing leases again rather than wait on the calls
   * in flight, which may hang for their whole timeout.
   */
  private changes = 0;
  private readonly state: { delivered: Date | null; error: DeliveryHealth['lastError']; waitingUntil: Date | null } = {
    delivered: null,
    error: null,
    waitingUntil: null,
  };

  constructor(
    private readonly sink: NotificationSink,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly settings: LaneSettings,
  ) {}

  get name(): string {
    return this.sink.name;
  }

  health(): DeliveryHealth {
    const now = this.clock.now();
    const waiting = this.state.waitingUntil && this.state.waitingUntil > now ? this.state.waitingUntil : null;
    return {
      lastDelivered: this.state.delivered?.toISOString() ?? null,
      lastError: this.state.error,
      waitingUntil: waiting?.toISOString() ?? null,
    };
  }

  /** `queued`: something was just committed to the outbox (not a poll). */
  kick(queued: boolean): void {
    if (this.closing) return;
    if (queued) this.changes++;
    this.wake?.();
    void this.drain().catch((error) =>
      this.log.error('outbox relay failed', { messenger: this.sink.name, ...errorFields(error) }),
    );
  }

  /** Resolves a pass waiting on slow calls, when new work is queued: it is leased at once, not after them. */
  private wake: (() => void) | null = null;

  private kicked(): Promise<boolean> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        resolve(false);
      };
    });
  }

  /** Delivers until nothing is ready or in flight; concurrent calls share one run (and trigger one more pass). */
  drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          total += await this.pass();
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  async stop(graceMs: number): Promise<number> {
    this.closing = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([this.running?.catch(() => undefined), graceOver]);
    clearTimeout(timer);
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
    const unfinished = [...this.busy];
    if (unfinished.length === 0) return 0;
    await this.outbox.releaseLeases(unfinished).catch((error) =>
      this.log.error('outbox leases not given back; they return when they run out', {
        messenger: this.sink.name,
        ...errorFields(error),
      }),
    );
    this.log.warn('outbox deliveries unfinished at shutdown given back', {
      messenger: this.sink.name,
      count: unfinished.length,
    });
    return unfinished.length;
  }

  private async pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const room = this.closing ? 0 : this.settings.batchSize - this.inFlight.size;
      const changesBefore = this.changes;
      const leased = room > 0 ? await this.lease(room) : [];
      // A lease that saw a message still unsent, or not yet queued, may answer late: that answer is stale.
      if (leased.length === 0 && this.changes !== changesBefore) continue;
      for (const message of leased) {
        if (this.busy.has(message.id)) continue; // never two deliveries of one message at once
        this.busy.add(message.id);
        const delivery = this.deliver(message);
        this.inFlight.add(delivery);
        void delivery.then((ok) => {
          this.inFlight.delete(delivery);
          this.busy.delete(message.id);
          this.changes++;
          if (ok) sent++;
        });
      }
      this.keepLeases();
      if (this.inFlight.size === 0 && leased.length === 0) return sent;
      // Wait for a slot (or, with nothing new to lease, for the calls in flight) before leasing again.
      if (this.inFlight.size >= this.settings.batchSize) await Promise.race(this.inFlight);
      else if (leased.length === 0) await Promise.race([...this.inFlight, this.kicked()]);
    }
  }

  private lease(limit: number): Promise<LeasedMessage[]> {
    return this.outbox.lease(this.sink.name, this.clock.now(), this.settings.leaseMs, limit, [...this.busy]);
  }

  /**
   * Renews the leases of the messages in flight every third of a lease: a delivery slowed by a busy
   * database or a slow destination is never taken up by another sender while this one still works
   * on it (which would post it twice). A crashed sender renews nothing, so its messages come back.
   */
  private keepLeases(): void {
    if (this.busy.size === 0 || this.renewTimer) return;
    this.renewTimer = setInterval(
      () => {
        if (this.busy.size === 0) {
          if (this.renewTimer) clearInterval(this.renewTimer);
          this.renewTimer = null;
          return;
        }
        const until = new Date(this.clock.now().getTime() + this.settings.leaseMs);
        this.outbox
          .renewLeases([...this.busy], until)
          .catch((error) =>
            this.log.warn('outbox leases not renewed', { messenger: this.sink.name, ...errorFields(error) }),
          );
      },
      Math.max(50, Math.floor(this.settings.leaseMs / 3)),
    );
    this.renewTimer.unref();
  }

  /** One message, start to outcome; never throws. True when it was delivered. */
  private async deliver(message: LeasedMessage): Promise<boolean> {
    try {
      await this.sink.deliver(message.notification, {
        key: `outbox-${message.id}`,
        attempt: message.attempts,
        superseded: message.superseded,
        queuedAt: message.createdAt,
      });
      await this.settle(() => this.outbox.markSent([message.id], this.clock.now()), message);
      this.state.delivered = this.clock.now();
      return true;
    } catch (error) {
      if (error instanceof DeliveryDeferred) await this.settle(() => this.defer(message, error), message);
      else await this.settle(() => this.fail(message, error), message);
      return false;
    }
  }

  /** The destination asked us to wait (a rate limit, a channel held back): not a failed attempt. */
  private defer(message: LeasedMessage, deferred: DeliveryDeferred): Promise<void> {
    const at = new Date(this.clock.now().getTime() + deferred.delayMs);
    if (!this.state.waitingUntil || at > this.state.waitingUntil) this.state.waitingUntil = at;
    this.log.debug('notification deferred', {
      outboxId: message.id.toString(),
      messenger: this.sink.name,
      delayMs: deferred.delayMs,
      reason: deferred.reason,
    });
    return this.outbox.markDeferred(message.id, at);
  }

  private async fail(message: LeasedMessage, error: unknown): Promise<void> {
    const giveUp = message.attempts >= this.settings.maxAttempts;
    const now = this.clock.now();
    const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(message.attempts));
    // The error's message only: it is redacted in the log, and holds no request or token.
    this.state.error = { message: String(errorFields(error).error).slice(0, 200), at: now.toISOString() };
    await this.outbox.markFailed(message.id, errorFields(error).error as string, retryAt, now);
    this.log[giveUp ? 'error' : 'warn'](giveUp ? 'notification given up' : 'notification will be retried', {
      outboxId: message.id.toString(),
      messenger: this.sink.name,
      kind: message.notification.kind,
      attempts: message.attempts,
      ...errorFields(error),
    });
  }

  /** Recording an outcome can fail too (the database is away): the lease then brings the message back. */
  private async settle(record: () => Promise<void>, message: LeasedMessage): Promise<void> {
    try {
      await record();
    } catch (error) {
      this.log.error('outbox outcome not recorded', { outboxId: message.id.toString(), ...errorFields(error) });
    }
  }
}
