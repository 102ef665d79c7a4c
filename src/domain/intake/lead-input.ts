import { z } from 'zod';
import { DECISION_ROLES, LEAD_TYPES } from '../leads/lead.js';
import { cleanedText, PROTOTYPE_KEYS } from '../shared/text.js';

/**
 * Any text from outside, cleaned rather than refused: invisible and control characters and broken
 * Unicode are dropped and exotic spaces made plain (see `cleanedText`), so a lead is never lost to
 * what a web page or a terminal pasted into it.
 */
const safeString = () => z.string().overwrite(cleanedText);

// Blank strings count as absent (prepareLead folds them away), so "company": "  " stores no company.
const text = (max: number) => safeString().max(max).optional();
const attributeKey = safeString()
  .max(64)
  .refine((key) => !PROTOTYPE_KEYS.has(key), { params: { code: 'reserved_key' } });
const count = z.number().min(0).max(1e9);
/** What a budget column holds (14 digits, 2 after the point). */
export const BUDGET_MAX = 999_999_999_999;
const amount = z.number().min(0).max(BUDGET_MAX);

export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5000+'] as const;

/**
 * A lead as it arrives, before cleaning: the one shape the API, the batch API, CSV import and the
 * messenger forms all produce. Only types and lengths are checked here; `prepareLead` does the rest.
 */
/** Behaviour counted on the sender's side: totals, so sending them again changes nothing. */
const signalsSchema = z.strictObject({
  visits: count.optional(),
  downloads: count.optional(),
  eventsAttended: count.optional(),
  pageViews: count.optional(),
  timeOnSiteSec: count.optional(),
});

export const leadInputSchema = z.strictObject({
  team: safeString().trim().min(1).max(64),
  name: safeString().trim().min(1).max(200),
  company: text(200),
  title: text(200),
  email: text(254),
  phone: text(60),
  /** An office line's extension, when the sender keeps it apart (it may also be written in `phone`). */
  phoneExt: text(12),
  region: text(100),
  industry: text(100),
  companySize: z.union([z.number().int().min(1), safeString().max(20)]).optional(),
  need: text(2000),
  budget: z
    .union([
      amount,
      z.strictObject({
        amount: amount.optional(),
        min: amount.optional(),
        max: amount.optional(),
        currency: text(3),
      }),
    ])
    .optional(),
  decisionRole: z.enum(DECISION_ROLES).optional(),
  decisionMaker: text(200),
  decisionProcess: text(2000),
  type: z.enum(LEAD_TYPES).optional(),
  notes: text(2000),
  source: text(64),
  subSource: text(100),
  campaign: text(100),
  externalId: text(128),
  signals: signalsSchema.optional(),
  attributes: z
    .record(attributeKey, z.union([safeString().max(500), z.number(), z.boolean()]))
    .refine((a) => Object.keys(a).length <= 50, { message: 'at most 50 attributes' })
    .optional(),
});

export type LeadInput = z.output<typeof leadInputSchema>;

/** `PATCH …/signals`: the lead's behaviour totals as of now (a replay sets the same values again). */
export const signalsUpdateSchema = z.strictObject({ signals: signalsSchema });
export const LEAD_INPUT_FIELDS = Object.keys(leadInputSchema.shape) as (keyof LeadInput)[];

const CURRENCY_SIGNS: Readonly<Record<string, string>> = {
  '¥': 'CNY',
  元: 'CNY',
  rmb: 'CNY',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '₩': 'KRW',
  원: 'KRW',
  '₫': 'VND',
  円: 'JPY',
};
const MULTIPLIERS: Readonly<Record<string, number>> = {
  k: 1e3,
  千: 1e3,
  w: 1e4,
  万: 1e4,
  萬: 1e4,
  m: 1e6,
  百万: 1e6,
  亿: 1e8,
  億: 1e8,
};
const AMOUNT = /(\d+(?:[.,]\d+)*)\s*(百万|k|m|w|千|万|萬|亿|億)?(?![a-z])/giu;

/** A number as people type it: 10,000 and 10.000 are ten thousand, 2.5 is two and a half. */
export function readAmount(digits: string): number {
  if (/^\d{1,3}([.,]\d{3})+$/.test(digits)) return Number(digits.replace(/[.,]/g, ''));
  return Number(digits.replace(/,/g, ''));
}

/**
 * A budget typed as text, as a web form sends it: "50000", "¥5万", "$5k-10k", "10,000 EUR",
 * "5-10万" (the unit after a range is the range's). Null when it says no amount.
 */
export function budgetFromText(typed: string): { min: number; max: number; currency?: string } | null {
  const text = typed.normalize('NFKC').toLowerCase();
  const amounts = [...text.matchAll(AMOUNT)].map((m) => ({ n: readAmount(m[1] as string), unit: m[2] }));
  if (amounts.length === 0 || amounts.length > 2 || amounts.some((a) => !Number.isFinite(a.n))) return null;
  const lastUnit = amounts[amounts.length - 1]?.unit;
  const [min = 0, max = min] = amounts.map((a) => a.n * (MULTIPLIERS[(a.unit ?? lastUnit ?? '').toLowerCase()] ?? 1));
  if (max > BUDGET_MAX || min > BUDGET_MAX) return null;
  const code = /\b([a-z]{3})\b/.exec(text)?.[1];
  const sign = Object.keys(CURRENCY_SIGNS).find((s) => text.includes(s));
  const currency = code && code !== 'rmb' ? code.toUpperCase() : sign ? CURRENCY_SIGNS[sign] : undefined;
  return { min, max, ...(currency ? { currency } : {}) };
}
