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
 * Sends what the outbox holds to every configured messenger. `kick()` is called after a commit that
 * queued something, so notifications go out at once; `start()` also polls, which picks up work from
 * other instances and from a crash.
 */
export class OutboxRelay {
  private running: Promise<number> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly sinks: NotificationSink[],
    private readonly clock: Clock,
    private readonly log: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.batchSize = options.batchSize ?? 20;
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  kick(): void {
    void this.drain().catch((error) => this.log.error('outbox relay failed', errorFields(error)));
  }

  /** Delivers until nothing is ready; concurrent calls share one run (and trigger one more pass). */
  drain(): Promise<number> {
    // With no messenger to deliver to, messages must stay pending rather than count as sent.
    if (this.sinks.length === 0) return Promise.resolve(0);
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          for (;;) {
            const batch = await this.outbox.lease(this.clock.now(), this.leaseMs, this.batchSize);
            if (batch.length === 0) break;
            // A batch holds at most one message per lead (see lease), so sending it in parallel
            // keeps each lead's messages in order.
            const delivered = await Promise.all(batch.map((message) => this.deliver(message)));
            const sent = batch.filter((_, i) => delivered[i]).map((m) => m.id);
            await this.outbox.markSent(sent, this.clock.now());
            total += sent.length;
          }
        } while (this.again);
      } finally {
        this.running = null;
      }
      return total;
    })();
    return this.running;
  }

  start(pollMs: number): void {
    this.timer ??= setInterval(() => this.kick(), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private async deliver(message: LeasedMessage): Promise<boolean> {
    const kind = message.notification.kind;
    try {
      for (const sink of this.sinks) await sink.deliver(message.notification);
      return true;
    } catch (error) {
      const giveUp = message.attempts >= this.maxAttempts;
      const now = this.clock.now();
      const retryAt = giveUp ? null : new Date(now.getTime() + retryDelayMs(message.attempts));
      await this.outbox.markFailed(message.id, errorFields(error).error as string, retryAt, now);
      this.log[giveUp ? 'error' : 'warn'](giveUp ? 'notification given up' : 'notification will be retried', {
        outboxId: message.id.toString(),
        kind,
        attempts: message.attempts,
        ...errorFields(error),
      });
      return false;
    }
  }
}
