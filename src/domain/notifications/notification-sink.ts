import type { Notification } from './notification.js';

/** A messenger that can deliver outbox notifications. Delivery must be safe to repeat. */
export interface NotificationSink {
  readonly name: string;
  deliver(notification: Notification): Promise<void>;
}
