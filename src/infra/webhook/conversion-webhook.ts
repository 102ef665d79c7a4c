import { createHmac } from 'node:crypto';
import type { ConversionReader } from '../../domain/conversions/conversion-record.js';
import { WEBHOOK_SINK } from '../../domain/conversions/convert-lead.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';

export const SIGNATURE_HEADER = 'leadpool-signature';
export const DELIVERY_HEADER = 'leadpool-delivery';
const TIMEOUT_MS = 10_000;

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver recomputes it with the
 * shared secret and refuses old timestamps, so a captured request cannot be replayed later.
 */
export function signWebhook(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * Posts each conversion to its team's webhook. It runs as an outbox sink, so a slow or failing
 * receiver is retried with back-off and never holds back the messengers' lanes. The delivery id
 * stays the same across retries so the receiver can drop repeats.
 */
export class ConversionWebhook implements NotificationSink {
  readonly name = WEBHOOK_SINK;

  constructor(
    private readonly deps: { conversions: ConversionReader; teams: TeamDirectory; clock: Clock },
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async deliver(notification: Notification, delivery: Delivery): Promise<void> {
    if (notification.kind !== 'conversion.webhook') return;
    const record = await this.deps.conversions.conversion(notification.leadId);
    const webhook = record && this.deps.teams.find(record.teamId)?.webhook;
    // Reopened leads keep their deal; a team that removed its webhook wants nothing more.
    if (!record || !webhook) return;
    const now = this.deps.clock.now();
    const body = JSON.stringify({
      event: 'lead.converted',
      id: delivery.key,
      occurredAt: record.convertedAt,
      data: record,
    });
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Leadpool',
        [SIGNATURE_HEADER]: signWebhook(webhook.secret, body, now),
        [DELIVERY_HEADER]: delivery.key,
      },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`conversion webhook answered ${response.status}`);
  }
}
