import type { Notification } from './notification.js';

/**
 * A messenger that can deliver outbox notifications. Delivery must be safe to repeat: `key` is
 * stable across retries of one delivery, for messengers that de-duplicate sends by a client key.
 */
export interface NotificationSink {
  readonly name: string;
  deliver(notification: Notification, key: string): Promise<void>;
}
