import type { FieldProblem } from '../domain/intake/field-problem.js';
import type { Locale } from '../domain/leads/lead.js';
import { t } from './catalog.js';

export type FieldErrors = Record<string, string[]>;

/** Field problems as `{ field: [messages] }` in the reader's language. */
export function presentFieldProblems(problems: readonly FieldProblem[], locale: Locale): FieldErrors {
  // A Map, not an object: field names come from the input and may be "__proto__".
  const out = new Map<string, string[]>();
  for (const p of problems) {
    const message = t(locale, `field.${p.code}`, p.params);
    out.set(p.field, [...(out.get(p.field) ?? []), p.kept ? t(locale, 'field.kept_as_typed', { message }) : message]);
  }
  return Object.fromEntries(out);
}

/**
 * For a form a person fills in now: a value that would be kept as typed is a problem to fix on the
 * spot (nothing is lost by asking), so it is shown as a field error instead.
 */
export function formProblems(warnings: readonly FieldProblem[]): FieldProblem[] {
  return warnings.filter((w) => w.kept).map(({ kept: _, ...problem }) => problem);
}
