import type { z } from 'zod';
import { cleanedText, PROTOTYPE_KEYS } from '../shared/text.js';
import { type FieldProblem, problemsFromIssues, problemsFromZod } from './field-problem.js';
import { budgetFromText, type LeadInput, leadInputSchema } from './lead-input.js';

export type SalvageResult =
  | { ok: true; input: LeadInput; warnings: FieldProblem[] }
  | { ok: false; problems: FieldProblem[] };

/** Without these it is not a lead: refused, never guessed. */
const ESSENTIAL = new Set(['team', 'name']);
const MAX_ATTRIBUTES = 50;
const MAX_ATTRIBUTE_TEXT = 500;
/** Each round mends what the last parse found; what a mend exposes is found by the next. */
const ROUNDS = 4;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A lead as it arrived, parsed; what does not fit is mended rather than refused, so a web form's
 * lead is never lost to one odd field: a number sent for a text becomes text, a text too long is
 * cut at its limit, and a value that cannot be read (an unknown field, a role that is no role, an
 * object where a text belongs) is left out of its field and kept as an attribute of the same name.
 * Each mend is a warning. Only a request without a readable team or name, or that is no object at
 * all, is refused.
 */
export function salvageLeadInput(raw: unknown): SalvageResult {
  let parsed = leadInputSchema.safeParse(raw);
  if (parsed.success) return { ok: true, input: parsed.data, warnings: [] };
  if (!isRecord(raw)) return { ok: false, problems: problemsFromZod(parsed.error) };
  const body = structuredClone(raw);
  const warnings: FieldProblem[] = [];
  for (let round = 0; round < ROUNDS && !parsed.success; round++) {
    if (parsed.error.issues.some((issue) => isFatal(body, issue)))
      return { ok: false, problems: problemsFromZod(parsed.error) };
    for (const issue of parsed.error.issues) mend(body, issue, warnings);
    parsed = leadInputSchema.safeParse(body);
  }
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  // Field names in warnings come from outside too; they are stored with the lead.
  const named = warnings.map((w) => ({
    ...w,
    field: cleanedText(w.field),
    ...(w.aside ? { aside: cleanedText(w.aside) } : {}),
  }));
  return { ok: true, input: parsed.data, warnings: named };
}

function isFatal(body: Record<string, unknown>, issue: z.core.$ZodIssue): boolean {
  const field = String(issue.path[0] ?? '');
  if (issue.path.length === 0) return issue.code !== 'unrecognized_keys';
  if (!ESSENTIAL.has(field)) return false;
  // A name longer than a name can be is still someone's name: cut, not refused.
  return !(field === 'name' && issue.code === 'too_big' && typeof body.name === 'string');
}

function mend(body: Record<string, unknown>, issue: z.core.$ZodIssue, warnings: FieldProblem[]): void {
  const [problem] = problemsFromIssues([issue]);
  if (!problem) return;
  if (issue.code === 'unrecognized_keys') {
    const parent = valueAt(body, issue.path);
    if (!isRecord(parent)) return;
    for (const key of issue.keys) {
      const value = parent[key];
      delete parent[key];
      // A name from outside is text from outside: cleaned before it names anything stored.
      const field = cleanedText([...issue.path, key].join('.')).slice(0, 64);
      if (field) keepAside(body, field, value, { field, code: 'unknown_field' }, warnings);
    }
    return;
  }
  const value = valueAt(body, issue.path);
  if (issue.path.join('.') === 'budget.currency' && isRecord(body.budget)) {
    // "yuan", "RMB", "元": a currency by name; anything else is set aside and the team's is used.
    const code = currencyByName(value);
    if (code) body.budget.currency = code;
    else {
      delete body.budget.currency;
      keepAside(body, 'budgetCurrency', value, { field: 'budget.currency', code: 'currency_invalid' }, warnings);
    }
    return;
  }
  if (issue.code === 'too_big' && typeof value === 'string') {
    setAt(body, issue.path, cut(value, Number(issue.maximum)));
    warnings.push({ ...problem, cut: true });
    return;
  }
  const [field = '', key] = issue.path.map(String);
  if (field === 'attributes') {
    mendAttributes(body, issue, problem, warnings);
    return;
  }
  if (field === 'signals') {
    // Counters the sender keeps: one that is no count is left out, the sender sends it again.
    if (key !== undefined && isRecord(body.signals)) delete body.signals[key];
    else delete body.signals;
    warnings.push({ ...problem, aside: null });
    return;
  }
  if (
    (typeof value === 'number' || typeof value === 'boolean') &&
    issue.code === 'invalid_type' &&
    issue.expected === 'string'
  ) {
    setAt(body, issue.path, String(value));
    return;
  }
  // The whole field is set aside (for budget, the whole budget: its parts mean nothing alone).
  const whole = body[field];
  const budget = field === 'budget' && typeof whole === 'string' ? budgetFromText(whole) : null;
  if (budget) {
    body.budget = budget;
    return;
  }
  delete body[field];
  keepAside(body, field, whole, { ...problem, field: issue.path.join('.') }, warnings);
}

function mendAttributes(
  body: Record<string, unknown>,
  issue: z.core.$ZodIssue,
  problem: FieldProblem,
  warnings: FieldProblem[],
): void {
  const attributes = body.attributes;
  if (!isRecord(attributes)) {
    delete body.attributes;
    warnings.push({ ...problem, aside: null });
    return;
  }
  const key = issue.path[1];
  if (key === undefined) {
    // Too many: the first ones are kept.
    body.attributes = Object.fromEntries(Object.entries(attributes).slice(0, MAX_ATTRIBUTES));
    warnings.push({ field: 'attributes', code: 'too_many', params: { max: MAX_ATTRIBUTES }, cut: true });
    return;
  }
  const value = attributes[String(key)];
  delete attributes[String(key)];
  // A name that cannot be a name is left out; a value that cannot be a value is kept as text.
  const keep = issue.code !== 'invalid_key' && value !== undefined && value !== null;
  if (keep) attributes[String(key)] = cut(JSON.stringify(value), MAX_ATTRIBUTE_TEXT);
  warnings.push({ ...problem, aside: keep ? String(key) : null });
}

const CURRENCY_NAMES: Readonly<Record<string, string>> = {
  yuan: 'CNY',
  rmb: 'CNY',
  元: 'CNY',
  人民币: 'CNY',
  dollar: 'USD',
  dollars: 'USD',
  us$: 'USD',
  euro: 'EUR',
  euros: 'EUR',
  yen: 'JPY',
  円: 'JPY',
  won: 'KRW',
  원: 'KRW',
  dong: 'VND',
  pesos: 'MXN',
};
const currencyByName = (value: unknown) =>
  typeof value === 'string' ? CURRENCY_NAMES[value.normalize('NFKC').trim().toLowerCase()] : undefined;

/** Keeps what could not be read in the lead's attributes, as text, under the field's name. */
function keepAside(
  body: Record<string, unknown>,
  field: string,
  value: unknown,
  problem: FieldProblem,
  warnings: FieldProblem[],
): void {
  const attributes = isRecord(body.attributes) ? body.attributes : {};
  const text = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  let key = field.slice(0, 60);
  for (let n = 2; Object.hasOwn(attributes, key); n++) key = `${field.slice(0, 58)}_${n}`;
  if (Object.keys(attributes).length >= MAX_ATTRIBUTES || !text || PROTOTYPE_KEYS.has(key)) {
    warnings.push({ ...problem, aside: null });
    return;
  }
  attributes[key] = cut(text, MAX_ATTRIBUTE_TEXT);
  body.attributes = attributes;
  warnings.push({ ...problem, aside: key });
}

/** At most `max` UTF-16 units, never splitting a character. */
function cut(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out;
}

function valueAt(body: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let at: unknown = body;
  for (const key of path) at = isRecord(at) ? at[String(key)] : undefined;
  return at;
}

function setAt(body: Record<string, unknown>, path: readonly PropertyKey[], value: unknown): void {
  const parent = valueAt(body, path.slice(0, -1));
  if (isRecord(parent)) parent[String(path[path.length - 1])] = value;
}
