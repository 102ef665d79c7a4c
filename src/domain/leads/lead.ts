import { z } from 'zod';

export type LeadStatus = 'pooled' | 'owned';
export type LeadStage = 'new' | 'contacted' | 'qualified' | 'converted' | 'lost';
export type Role = 'rep' | 'manager' | 'admin';
export type Locale = 'en' | 'zh-CN';

export const FOLLOW_UP_METHODS = ['call', 'email', 'meeting', 'visit', 'message'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

export interface Lead {
  id: number;
  teamId: string;
  status: LeadStatus;
  stage: LeadStage;
  name: string;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  region: string | null;
  industry: string | null;
  need: string | null;
  notes: string | null;
  source: string | null;
  ownerId: string | null;
  ownedSince: Date | null;
  followUpDueAt: Date | null;
  remindAt: Date | null;
  reminderSentAt: Date | null;
  createdAt: Date;
}

export interface Member {
  id: string;
  teamId: string;
  slackUserId: string | null;
  displayName: string;
  role: Role;
  locale: Locale;
  active: boolean;
}

/** What a team's admin sets: limits and SLAs every rule reads. Durations are in ms. */
export interface TeamPolicy {
  id: string;
  name: string;
  timeZone: string;
  locale: Locale;
  dailyClaimQuota: number;
  holdingCap: number;
  cooldownMs: number;
  followUpMs: number;
  remindBeforeMs: number;
  slackChannelId: string | null;
}

// Blank strings count as absent, so "company": "  " does not store an empty company.
const blankToUndefined = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().max(max).optional());

/** Intake input, shared by every way a lead comes in. */
export const newLeadSchema = z.object({
  team: z.string().trim().min(1, 'team is required').max(64),
  name: z.string().trim().min(1, 'name is required').max(200),
  company: optionalText(200),
  title: optionalText(200),
  email: z
    .string()
    .trim()
    .max(254)
    .email('not a valid e-mail address')
    .transform((v) => v.toLowerCase())
    .optional(),
  phone: z
    .string()
    .trim()
    .max(40)
    .regex(/^\+?[0-9 ()./-]{5,}$/, 'not a valid phone number')
    .optional(),
  region: optionalText(100),
  industry: optionalText(100),
  need: optionalText(2000),
  notes: optionalText(2000),
  source: optionalText(100),
});

export type NewLead = z.output<typeof newLeadSchema>;

/** Lead references as people type them: "42", "#42", "L-42", "l42". */
export function parseLeadRef(text: string): number | null {
  const match = /^(?:#|l-?)?(\d{1,9})$/i.exec(text.trim());
  return match ? Number(match[1]) : null;
}

export function formatLeadRef(id: number): string {
  return `L-${id}`;
}
