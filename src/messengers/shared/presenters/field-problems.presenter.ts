import type { FieldProblem } from '../../../domain/intake/field-problem.js';
import type { Locale } from '../../../domain/leads/lead.js';
import { t } from '../i18n/catalog.js';

export type FieldErrors = Record<string, string[]>;

/** Field problems as `{ field: [messages] }` in the reader's language. */
export function presentFieldProblems(problems: readonly FieldProblem[], locale: Locale): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems) out[p.field] = [...(out[p.field] ?? []), t(locale, `field.${p.code}`, p.params)];
  return out;
}
