import type { Locale } from '../../../domain/leads/lead.js';
import type { DeadLetter } from '../../../domain/notifications/dead-letters.js';
import { t } from '../../../i18n/catalog.js';

/** `/lead admin outbox`: how many gave up, the latest with why, and how to send them again. */
export function presentDeadLetters(box: { count: number; latest: DeadLetter[] }, locale: Locale): string {
  if (box.count === 0) return t(locale, 'outbox.none');
  const lines = box.latest.map((d) =>
    t(locale, 'outbox.line', {
      id: d.id,
      messenger: d.messenger,
      kind: d.kind,
      attempts: d.attempts,
      failed: d.failedAt,
      error: d.error.slice(0, 200),
    }),
  );
  return [t(locale, 'outbox.header', { count: box.count }), ...lines, t(locale, 'outbox.hint')].join('\n');
}
