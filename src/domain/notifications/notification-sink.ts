import type { Notification } from './notification.js';

/** One attempt at delivering one outbox message to one messenger. */
export interface Delivery {
  /** Stable across retries of this message: for de-duplicating sends. */
  key: string;
  /** 1 for the first attempt; a later one may follow a crash after the messenger took the message. */
  attempt: number;
  /**
   * A later message of the same kind about the same subject is waiting: a sink that re-renders
   * current state (a home view) may skip this one, since the later one shows everything.
   */
  superseded: boolean;
  /** When the message was queued: nothing it sent can be older, which bounds a search for it. */
  queuedAt: Date;
}

/**
 * Thrown by a sink that should not send now (its destination is rate limited or held back after a
 * hung call): the message is tried again after `delayMs`, and the wait does not count as a failure.
 */
export class DeliveryDeferred extends Error {
  constructor(
    readonly delayMs: number,
    readonly reason: string,
  ) {
    super(`delivery deferred ${delayMs} ms: ${reason}`);
    this.name = 'DeliveryDeferred';
  }
}

/** A messenger that can deliver outbox notifications. Delivery must be safe to repeat. */
export interface NotificationSink {
  readonly name: string;
  deliver(notification: Notification, delivery: Delivery): Promise<void>;
}
