import type { Pool } from '../distribution/pools.js';
import type { FieldProblem } from '../intake/field-problem.js';
import type { Grade, Priority, ScoreLine, ScoringConfig } from '../scoring/score-rules.js';
import type { WorkingCalendar } from '../sla/working-time.js';

export type { Grade, Priority, ScoreLine };

/**
 * Where a lead is. awaiting_owner: a likely duplicate of an owned lead, until its owner answers;
 * merged: attached to another lead; closed: converted, lost or invalid (its stage says which).
 */
export type LeadStatus = 'pooled' | 'owned' | 'awaiting_owner' | 'merged' | 'closed';
/** How far a lead got. Moves between them are the transition table in lifecycle.ts. */
export type LeadStage = 'new' | 'contacted' | 'qualified' | 'converted' | 'lost' | 'invalid';
/** How a lead can be closed without converting. */
export const CLOSED_AS = ['lost', 'invalid'] as const;
export type ClosedAs = (typeof CLOSED_AS)[number];

/** Why a lead was closed without converting. `labels` are extra words people may type for it. */
export interface CloseReason {
  key: string;
  as: ClosedAs;
  labels: readonly string[];
}
export type Role = 'rep' | 'manager' | 'admin';
export type Locale = 'en' | 'zh-CN';
export const LEAD_TYPES = ['marketing', 'sales', 'service'] as const;
export type LeadType = (typeof LEAD_TYPES)[number];
export const DECISION_ROLES = ['decision_maker', 'influencer', 'user', 'unknown'] as const;
export type DecisionRole = (typeof DECISION_ROLES)[number];

export interface Budget {
  min: number | null;
  max: number | null;
  currency: string;
}

/** Behaviour counts a lead arrives with (web analytics, event check-ins). */
export interface Signals {
  visits?: number;
  downloads?: number;
  eventsAttended?: number;
  pageViews?: number;
  timeOnSiteSec?: number;
}

export type Attributes = Record<string, string | number | boolean>;

export const FOLLOW_UP_METHODS = ['call', 'email', 'meeting', 'visit', 'message', 'other'] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];
export const FOLLOW_UP_OUTCOMES = ['reached', 'no_answer', 'interested', 'not_interested', 'meeting_set'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

export interface Lead {
  id: number;
  teamId: string;
  status: LeadStatus;
  stage: LeadStage;
  type: LeadType;
  name: string;
  company: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
  /** An office line's extension, when one was written. */
  phoneExt: string | null;
  region: string | null;
  industry: string | null;
  companySize: string | null;
  need: string | null;
  budget: Budget | null;
  decisionRole: DecisionRole | null;
  decisionMaker: string | null;
  decisionProcess: string | null;
  notes: string | null;
  source: string | null;
  subSource: string | null;
  campaign: string | null;
  /** How it came in: api, batch_api, csv or chat. */
  channel: string | null;
  externalId: string | null;
  signals: Signals;
  attributes: Attributes;
  companyKey: string | null;
  grade: Grade;
  score: number;
  priority: Priority;
  scoreDetail: ScoreLine[];
  /** What intake took but flagged for a look (a phone read in another region, or kept as typed). */
  fieldWarnings: readonly FieldProblem[];
  duplicateOfId: number | null;
  duplicateDueAt: Date | null;
  /** For a repeat: the key it shared with the lead it duplicates (`email`, `phone`, `name_core`…). */
  matchOn: string | null;
  /** The match was only possible (asked about, never merged); see `MatchReason.certainty`. */
  matchPossible: boolean;
  ownerId: string | null;
  ownedSince: Date | null;
  /** When anyone first took the lead (claim or assignment). */
  firstOwnedAt: Date | null;
  followUpDueAt: Date | null;
  remindAt: Date | null;
  reminderSentAt: Date | null;
  /** When the lead first reached each stage, for exact time-to-contact and time-to-convert. */
  contactedAt: Date | null;
  qualifiedAt: Date | null;
  convertedAt: Date | null;
  /** When it was closed as lost or invalid, and why (a reason key of the team's list). */
  closedAt: Date | null;
  closeReason: string | null;
  /** Set when the lead came in a burst: its first card is a line of that burst's summary card. */
  cardBurstId?: number | null;
  /** The pool it was routed to; null: the default pool. */
  poolId?: string | null;
  createdAt: Date;
}

export interface Member {
  id: string;
  teamId: string;
  displayName: string;
  role: Role;
  locale: Locale;
  /** Where the member works; absent: their team's zone (see `timeZoneOf`). */
  timeZone?: string;
  active: boolean;
  /** Set while the member takes no leads (`/lead pause`); `until` null means until resumed. */
  pause?: MemberPause | null;
}

export interface MemberPause {
  since: Date;
  until: Date | null;
}

/** The zone every time shown to this member is written in: their own, else their team's. */
export function timeZoneOf(
  member: Pick<Member, 'timeZone'> | null | undefined,
  team: Pick<TeamPolicy, 'timeZone'>,
): string {
  return member?.timeZone ?? team.timeZone;
}

/** When a member's pause ends on its own: null when they are not paused at `now`, or paused until resumed. */
export function pausedAt(member: Pick<Member, 'pause'>, now: Date): MemberPause | null {
  const pause = member.pause;
  if (!pause || pause.since > now) return null;
  return pause.until === null || pause.until > now ? pause : null;
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
  /** Leads the whole team may take (claims and assignments) per local day. */
  teamDailyLimit?: number;
  /** Members' own limits (by name), in place of the team's. */
  memberLimits?: Readonly<Record<string, { dailyQuota?: number; holdingCap?: number }>>;
  /** Members (by name) marked senior: they take the top tier of a `score_tier` pool. */
  seniors?: readonly string[];
  followUpMs: number;
  /** The follow-up deadline of a grade's leads, where it differs from `followUpMs`. */
  followUpByGrade?: Partial<Record<Grade, number>>;
  /**
   * When the owner is reminded of a follow-up deadline: this long before it, or once this share of
   * the time to it has passed (0.75: at 75 %). Neither set: at 75 %.
   */
  remindBeforeMs?: number;
  remindAtShare?: number;
  /**
   * How long after a missed follow-up deadline the lead stays with its owner before it is reclaimed:
   * at the deadline the owner and managers are told; 0 (the default) reclaims at the deadline.
   */
  graceAfterDueMs?: number;
  /** What a manager may grant a rep who asks for more time: `by` per approval, `max` in all per deadline (ms). */
  extension?: { by: number; max: number };
  /** How long an owner has to convert a lead before it is reclaimed, and when they are warned. */
  convertWithinMs?: number;
  /** When the owner is warned of the conversion deadline, as for the reminder. Neither set: at 80 %. */
  convertWarnBeforeMs?: number;
  convertWarnAtShare?: number;
  /**
   * Past `after` new-lead cards within one window of `withinMs`, the window's further new leads are
   * gathered into one summary card posted when the window ends; absent, every lead gets its own card.
   */
  cardBurst?: { after: number; withinMs: number };
  /** The team's pools in order (the first whose rule matches a lead takes it); absent: one claim pool. */
  pools?: readonly Pool[];
  /** When set, deadlines count only the team's working time. */
  calendar?: WorkingCalendar;
  /** Where the team's cards go, per messenger (a channel or group chat id). */
  destinations: Readonly<Record<string, string>>;
  /** The workspace (or app) the team's destinations and people are in, per messenger, where the file names one. */
  tenants?: Readonly<Record<string, string>>;
  intake: IntakePolicy;
  scoring: ScoringConfig;
  /** When the team's managers get their digests, in the team's time zone. */
  digest?: {
    daily?: { hour: number; minute: number };
    weekly?: { weekday: number; hour: number; minute: number };
    /** A managers' channel per messenger: the digest goes there once, instead of to each manager. */
    channels: Readonly<Record<string, string>>;
  };
  /** Where conversions are sent (signed with `secret`), if the team wants them in another system. */
  webhook?: { url: string; secret: string };
  /** Why leads may be closed as lost or invalid; the defaults in close-reasons.ts when not set. */
  closeReasons?: readonly CloseReason[];
}

/** How a team takes leads in: required fields, phone region, currency, duplicate handshake. */
export interface IntakePolicy {
  /** Each entry is satisfied by any one of its fields: [["name"], ["phone", "email"]]. */
  required: readonly (readonly string[])[];
  /** ISO 3166 region for phone numbers written without a country code, e.g. "CN". */
  defaultRegion: string | null;
  /** Other regions the team's leads come from: a number not valid in the default one is tried there (mobiles). */
  alsoRegions: readonly string[];
  /** Store Gmail addresses without their dots and `+tags`, so aliases of one mailbox match (off unless set). */
  foldEmailAliases: boolean;
  /** Currency of a budget given without one. */
  currency: string;
  /** How long the owner of a lead has to answer about a likely duplicate before it goes to the pool. */
  duplicateAnswerMs: number;
}

/** Lead references as people type them: "42", "#42", "L-42", "l42". */
/** Lead ids are PostgreSQL `integer`s: anything larger names no lead and must not reach a query. */
export const MAX_LEAD_ID = 2_147_483_647;

/** A lead id from outside (a button value, a command word), or null when it cannot name a lead. */
export function parseLeadId(text: string): number | null {
  if (!/^\d{1,10}$/.test(text)) return null;
  const id = Number(text);
  return id >= 1 && id <= MAX_LEAD_ID ? id : null;
}

export function parseLeadRef(text: string): number | null {
  const match = /^(?:#|l-?)?(\d{1,10})$/i.exec(text.trim());
  return match ? parseLeadId(match[1] as string) : null;
}

export function formatLeadRef(id: number): string {
  return `L-${id}`;
}

/** A member's daily quota and holding cap: their own where the teams file gives them, else the team's. */
export function limitsOf(team: TeamPolicy, memberName: string): { dailyQuota: number; holdingCap: number } {
  const own = team.memberLimits?.[memberName];
  return { dailyQuota: own?.dailyQuota ?? team.dailyClaimQuota, holdingCap: own?.holdingCap ?? team.holdingCap };
}
