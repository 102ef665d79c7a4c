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
      z.number().min(0),
      z.strictObject({
        amount: z.number().min(0).optional(),
        min: z.number().min(0).optional(),
        max: z.number().min(0).optional(),
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
