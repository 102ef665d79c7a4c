import type { NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeasedMessage, OutboxRepository } from '../db/outbox.repository.js';
import { errorFields, type Logger } from '../logger.js';

export interface OutboxRelayOptions {
  leaseMs?: number;
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
      batchSize: options.batchSize ?? 20,
      maxAttempts: options.maxAttempts ?? 8,
    };
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
    for (const lane of this.currentLanes()) lane.kick();
  }

  /** Delivers until nothing is ready in any lane; returns how many messages were sent. */
  async drain(): Promise<number> {
    const sent = await Promise.all(this.currentLanes().map((lane) => lane.drain()));
    return sent.reduce((a, b) => a + b, 0);
  }

  start(pollMs: number): void {
    this.timer ??= setInterval(() => this.kick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all([...this.lanes.values()].map((lane) => lane.stop()));
  }
}

interface LaneSettings {
  leaseMs: number;
  batchSize: number;
  maxAttempts: number;
}

/** One messenger's delivery loop over its own outbox rows. */
class SinkLane {
  private running: Promise<number> | null = null;
  private again = false;

  constructor(
    private readonly sink: NotificationSink,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly settings: LaneSettings,
  ) {}

  kick(): void {
    void this.drain().catch((error) =>
      this.log.error('outbox relay failed', { messenger: this.sink.name, ...errorFields(error) }),
    );
  }

  /** Delivers until nothing is ready; concurrent calls share one run (and trigger one more pass). */
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

  async stop(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    let total = 0;
    for (;;) {
      const { leaseMs, batchSize } = this.settings;
      const batch = await this.outbox.lease(this.sink.name, this.clock.now(), leaseMs, batchSize);
      if (batch.length === 0) return total;
      // A batch holds at most one message per subject (see lease), so sending it in parallel keeps
      // each subject's messages in order.
      const delivered = await Promise.all(batch.map((message) => this.deliver(message)));
      const sent = batch.filter((_, i) => delivered[i]).map((m) => m.id);
      await this.outbox.markSent(sent, this.clock.now());
      total += sent.length;
    }
  }

  private async deliver(message: LeasedMessage): Promise<boolean> {
    try {
      await this.sink.deliver(message.notification, {
        key: `outbox-${message.id}`,
        attempt: message.attempts,
        superseded: message.superseded,
      });
      return true;
    } catch (error) {
      const giveUp = message.attempts >= this.settings.maxAttempts;
      const now = this.clock.now();
      const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(message.attempts));
      await this.outbox.markFailed(message.id, errorFields(error).error as string, retryAt, now);
      this.log[giveUp ? 'error' : 'warn'](giveUp ? 'notification given up' : 'notification will be retried', {
        outboxId: message.id.toString(),
        messenger: this.sink.name,
        kind: message.notification.kind,
        attempts: message.attempts,
        ...errorFields(error),
      });
      return false;
    }
  }
}
