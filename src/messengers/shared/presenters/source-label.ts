import type { Locale } from '../../../domain/leads/lead.js';
import { catalogs, type MessageKey, t } from '../../../i18n/catalog.js';

/** A source's name for people: the admin's label, else the catalog's for a built-in source, else its id. */
export function sourceLabel(id: string, label: string | null, locale: Locale): string {
  if (label) return label;
  const key = `source.${id}`;
  return key in catalogs.en ? t(locale, key as MessageKey) : id;
}
