import type { FieldProblem } from '../domain/intake/field-problem.js';
import type { Locale } from '../domain/leads/lead.js';
import { t } from './catalog.js';

export type FieldErrors = Record<string, string[]>;

/** Field problems as `{ field: [messages] }` in the reader's language. */
export function presentFieldProblems(problems: readonly FieldProblem[], locale: Locale): FieldErrors {
  // A Map, not an object: field names come from the input and may be "__proto__".
  const out = new Map<string, string[]>();
  for (const p of problems) out.set(p.field, [...(out.get(p.field) ?? []), fieldProblemText(p, locale)]);
  return Object.fromEntries(out);
}

/** One field problem's message, saying what became of a value that was mended rather than refused. */
export function fieldProblemText(p: FieldProblem, locale: Locale): string {
  const message = t(locale, `field.${p.code}`, p.params);
  if (p.kept) return t(locale, 'field.kept_as_typed', { message });
  if (p.aside) return t(locale, 'field.kept_aside', { message, key: p.aside });
  if (p.aside === null) return t(locale, 'field.left_out', { message });
  if (p.cut) return t(locale, 'field.cut', { message });
  return message;
}

/**
 * For a form a person fills in now: a value that would be kept as typed is a problem to fix on the
 * spot (nothing is lost by asking), so it is shown as a field error instead.
 */
export function formProblems(warnings: readonly FieldProblem[]): FieldProblem[] {
  return warnings
    .filter((w) => w.kept || w.cut || w.aside !== undefined)
    .map(({ kept: _k, cut: _c, aside: _a, ...problem }) => problem);
}
