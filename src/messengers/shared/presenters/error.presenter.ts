import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import { type ErrorDetail, isDomainError } from '../../../domain/shared/errors.js';
import { hasMessage, type MessageKey, t } from '../../../i18n/catalog.js';

/** Turns any error into the sentence the acting user sees; unknown errors become a short apology. */
export function presentError(error: unknown, locale: Locale, timeZone = 'UTC'): { text: string; expected: boolean } {
  if (!isDomainError(error)) return { text: t(locale, 'error.unexpected'), expected: false };
  const params = { ...error.params };
  if (typeof params.lead === 'number') params.lead = formatLeadRef(params.lead);
  if (error.details.length > 0) params.problems = error.details.map((d) => detailText(d, locale)).join('; ');
  let key: MessageKey = error.code;
  if (error.code === 'lead.already_claimed' && params.yours === 1) key = 'lead.already_yours';
  return { text: t(locale, key, params, timeZone), expected: true };
}

function detailText(detail: ErrorDetail, locale: Locale): string {
  const key = `field.${detail.code}`;
  const words =
    detail.code && detail.code !== 'invalid' && hasMessage(key) ? t(locale, key, detail.params) : detail.text;
  return detail.where ? `${detail.where}: ${words}` : words;
}
