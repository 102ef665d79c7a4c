import type { FieldProblem } from '../domain/intake/field-problem.js';
import type { Locale } from '../domain/leads/lead.js';
import { t } from './catalog.js';

export type FieldErrors = Record<string, string[]>;

/** Field problems as `{ field: [messages] }` in the reader's language. */
export function presentFieldProblems(problems: readonly FieldProblem[], locale: Locale): FieldErrors {
  // A Map, not an object: field names come from the input and may be "__proto__".
  const out = new Map<string, string[]>();
  for (const p of problems) out.set(p.field, [...(out.get(p.field) ?? []), t(locale, `field.${p.code}`, p.params)]);
  return Object.fromEntries(out);
}
