import type { VisibleScope } from '../access/access-policy.js';
import type { Identity } from '../members/identity.js';
import type { Notification } from '../notifications/notification.js';
import type { ScoreResult } from '../scoring/score-rules.js';
import type { Lead, Member, MemberPause, Signals, TeamPolicy } from './lead.js';
import type { Transition } from './lifecycle.js';

/**
 * One planned move of a lead, with its audit row: the only way a lead's status, stage or owner
 * changes. Written only if the lead is still exactly in `transition.from`.
 */
/** A follow-up deadline: when the owner is reminded, when it is due, when the lead returns to the pool. */
export interface FollowUpWindow {
  dueAt: Date;
  remindAt: Date;
  /** The deadline plus the team's grace; the deadline itself when there is none. */
  reclaimAt?: Date;
}

export interface LeadChange {
  leadId: number;
  transition: Transition;
  /** The audit action: claimed, assigned, released, reclaimed, followed_up, staged, converted, closed… */
  action: string;
  actorId: string | null;
  reason: string;
  at: Date;
  /** The new deadline, when the transition restarts it. */
  window?: FollowUpWindow;
  /** The conversion deadline a new owner gets (when the team has one); ignored unless the owner changes. */
  conversion?: { dueAt: Date; warnAt: Date } | null;
  /** Why a lead was closed as lost or invalid (a reason key). */
  closeReason?: string;
  /** For a settled duplicate: the lead it was merged into, or null. */
  duplicateOfId?: number | null;
}

export interface PoolMemberStats {
  assigned: number;
  held: number;
  takenToday: number;
  bannedUntil: Date | null;
}

export interface ClaimCounters {
  bannedUntil: Date | null;
  claimedToday: number;
  held: number;
}

/** Work done inside one database transaction. */
export interface LeadTx {
  /** Locks the member row: one rep's claims run one at a time, so quota checks cannot race. */
  lockMemberByIdentity(teamId: string, who: Identity): Promise<Member | null>;
  findLead(leadId: number, opts?: { forUpdate?: boolean }): Promise<Lead | null>;
  /** The team's lead with this external id, locked: the one not merged into another if there is one. */
  findLeadByExternalId(teamId: string, externalId: string): Promise<Lead | null>;
  /** New behaviour and the score it gives, with an audit row (`rescored`, old → new score). */
  rescore(input: { lead: Lead; signals: Signals; scoring: ScoreResult; at: Date }): Promise<void>;
  findMember(memberId: string): Promise<Member | null>;
  /** The lead's current owner, read fresh (after a lost race). */
  currentOwner(leadId: number): Promise<Member | null>;
  findMemberByIdentity(teamId: string, who: Identity): Promise<Member | null>;
  /** Every membership (one per team, active or not) of the person behind this identity. */
  membershipsOf(who: Identity): Promise<Member[]>;
  /**
   * Records an inbound request (a messenger's event id) as handled, in this transaction: false when it
   * already was, so a redelivered request changes nothing, and a rolled-back one can run again.
   */
  markRequestHandled(key: string, at: Date): Promise<boolean>;
  /** What the claim limits need, read in one go: cooldown end, claims since `dayStart`, leads held. */
  claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters>;
  /** Conditional write of a planned move and its audit row: false when the lead moved meanwhile. */
  transition(change: LeadChange): Promise<boolean>;
  /**
   * Marks up to `limit` leads whose reminder time has come (and whose deadline has not passed) as
   * reminded, skipping leads another sweep holds: each deadline is reminded once. Returns whom to tell.
   */
  remindDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]>;
  /**
   * The reclaim move, applied at once to up to `limit` owned leads past their deadline (skipping
   * leads another sweep holds): back to the pool, an audit row each, and the old owner barred from
   * it for their team's cooldown. Returns what moved.
   */
  reclaimBreached(
    now: Date,
    limit: number,
    cooldownMs: Readonly<Record<string, number>>,
    deadline?: 'follow_up' | 'conversion',
  ): Promise<{ leadId: number; teamId: string; ownerId: string; until: Date }[]>;
  /**
   * Marks up to `limit` leads past their follow-up deadline but still in their grace as escalated
   * (once per deadline), skipping leads another sweep holds. Returns whom to tell.
   */
  escalateOverdue(
    now: Date,
    limit: number,
  ): Promise<{ leadId: number; teamId: string; ownerId: string; reclaimAt: Date }[]>;
  /** The lead's open request for more time, if any. */
  pendingExtension(leadId: number): Promise<{ id: number; memberId: string; reason: string } | null>;
  createExtensionRequest(input: { leadId: number; memberId: string; reason: string; at: Date }): Promise<number>;
  decideExtension(input: {
    id: number;
    status: 'approved' | 'denied' | 'moot';
    decidedBy: string | null;
    at: Date;
    dueBefore?: Date | null;
    dueAfter?: Date | null;
  }): Promise<void>;
  /**
   * Moves the owner's follow-up deadline later by `byMs`, if the deadline's extensions stay within
   * `maxMs`, with an audit row; false when the lead moved meanwhile or the maximum would be passed.
   */
  extendDeadline(input: {
    leadId: number;
    ownerId: string;
    window: Required<FollowUpWindow>;
    byMs: number;
    maxMs: number;
    actorId: string;
    reason: string;
    at: Date;
  }): Promise<boolean>;
  /** Like `remindDue`, for the conversion deadline's warning. */
  warnConversionDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]>;
  /** Display names of these members. */
  memberNames(memberIds: readonly string[]): Promise<Map<string, string>>;
  /** The follow-up record itself; the lead's move (stage, deadline) is a separate `transition`. */
  recordFollowUp(input: {
    leadId: number;
    memberId: string;
    method: string;
    note: string;
    at: Date;
    nextContactAt: Date | null;
    outcome: string | null;
    nextStep: string | null;
  }): Promise<void>;
  managersOf(teamId: string): Promise<Member[]>;
  /**
   * Claims one digest (team, kind, period) for sending, for the first caller only, in any instance,
   * ever: 'taken' for everyone else; 'first' when the team never had a digest of this kind before.
   * The caller queues the digest in the same transaction.
   */
  claimDigest(run: {
    teamId: string;
    kind: string;
    periodKey: string;
    dueAt: Date;
    at: Date;
    late: boolean;
  }): Promise<'first' | 'claimed' | 'taken'>;
  /** Every member of a team, active or not, by name. */
  teamMembers(teamId: string): Promise<Member[]>;
  /** Holds a pool's turn for the rest of the transaction: two assigners of one pool take turns, never pick at once. */
  lockPool(teamId: string, poolId: string): Promise<void>;
  /** Per member: leads the pool gave them, open leads held, leads taken since `dayStart`, and a cooldown on `leadId`. */
  poolStats(input: {
    teamId: string;
    poolId: string;
    leadId: number;
    memberIds: readonly string[];
    dayStart: Date;
    now: Date;
  }): Promise<Map<string, PoolMemberStats>>;
  /** Per member: leads they converted and follow-ups they logged since `since`, for a ranking pool. */
  rankingRecords(
    teamId: string,
    memberIds: readonly string[],
    since: Date,
  ): Promise<Map<string, { conversions: number; followUps: number }>>;
  /** Puts a lead in another pool, with an audit row (`pool_moved`, from → to). */
  setLeadPool(input: { lead: Lead; poolId: string; actorId: string; at: Date }): Promise<void>;
  /** Leads the team (and the pool, if named) took since `dayStart`: claims and assignments. */
  takenToday(teamId: string, poolId: string | null, dayStart: Date): Promise<{ team: number; pool: number }>;
  /** Sets the given members' counts (a catch-up), then counts one more lead for `chosen`. */
  recordPoolShare(
    teamId: string,
    poolId: string,
    raised: readonly { memberId: string; assigned: number }[],
    chosen: string,
  ): Promise<void>;
  /** Pauses these memberships from `pause.since` (until `pause.until`, or until resumed), or resumes them (null). */
  setPause(memberIds: readonly string[], pause: MemberPause | null): Promise<void>;
  /** Queues a notification for every messenger, or only for `sinks` (e.g. the conversion webhook). */
  enqueue(notification: Notification, at: Date, sinks?: readonly string[]): Promise<void>;
  /** Records a conversion's customer (found by company, or new), contact and deal. */
  recordConversion(input: {
    lead: Lead;
    memberId: string;
    deal: { value: number | null; currency: string | null; expectedClose: Date | null };
    at: Date;
  }): Promise<{ customerId: number; customerName: string }>;
}

/** A claim's view of a lead before any lock: who owns it, and whether the clicker could claim at all. */
export interface ClaimPeek {
  owner: Member | null;
  /** The identity is an active member of the lead's team. */
  actorIsActiveMember: boolean;
  /** The identity belongs to the lead's owner. */
  actorIsOwner: boolean;
}

/** A lead with the display name of its owner (null in the pool), as lists show it. */
export interface LeadWithOwner {
  lead: Lead;
  ownerName: string | null;
}

/** A search as `readSearch` understood it. */
export interface LeadSearch {
  kind: 'email' | 'phone' | 'text';
  text: string;
}

export interface LeadStore {
  transaction<T>(work: (tx: LeadTx) => Promise<T>): Promise<T>;
  findLead(leadId: number): Promise<Lead | null>;
  /**
   * One read, no lock, for several clickers at once: lets a claim on an owned lead be refused
   * without a transaction. One answer per identity, in order; null when there is no such lead.
   */
  peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]>;
  /** The members (one per team) this identity belongs to, active or not. */
  membershipsOf(who: Identity): Promise<Member[]>;
  /** Leads in `scope` matching `search` (merged leads excluded), newest first, with their owner's name. */
  searchLeads(scope: VisibleScope, search: LeadSearch, limit: number): Promise<LeadWithOwner[]>;
  /** Open leads of these members, soonest follow-up deadline first (all of them, or the first `limit`). */
  ownedLeads(memberIds: string[], limit?: number): Promise<Lead[]>;
  /** How many open leads these members own, how many are overdue, and how many fall due by `dayEnd`. */
  deskSummary(
    memberIds: string[],
    now: Date,
    dayEnd: Date,
  ): Promise<{ openCount: number; overdueCount: number; dueTodayCount: number }>;
  /** A team's open work: leads past their deadline, falling due within `soonMs`, and the pool's size and oldest lead. */
  teamBacklog(
    teamId: string,
    now: Date,
    soonMs: number,
  ): Promise<{ overdue: number; dueSoon: number; pooled: number; oldestPooledAt: Date | null }>;
  /** A team's leads waiting in its pools, newest first. */
  pooledLeads(teamId: string, limit: number): Promise<Lead[]>;
  /** A team's latest leads (merged ones excluded), newest first, with their owner's name. */
  recentLeads(teamId: string, limit: number): Promise<LeadWithOwner[]>;
  /** Claims the member made since `since`. */
  claimedSince(memberId: string, since: Date): Promise<number>;
  /** Leads these members may not claim again yet, soonest end first. */
  activeCooldowns(memberIds: string[], now: Date): Promise<{ leadId: number; until: Date }[]>;
  /** Owned leads past their deadline in these teams (every team when null), most overdue first, with owner names. */
  overdueLeads(teamIds: string[] | null, now: Date, limit: number): Promise<LeadWithOwner[]>;
  leadIdsDueForReminder(now: Date, limit: number): Promise<number[]>;
  leadIdsBreached(now: Date, limit: number): Promise<number[]>;
  /** Likely duplicates whose owner did not answer in time. */
  leadIdsDuplicateUnanswered(now: Date, limit: number): Promise<number[]>;
  /** Pooled leads of these (system-assigned) pools, oldest first: waiting for an owner. */
  leadIdsWaitingInPools(pools: readonly { teamId: string; poolId: string }[], limit: number): Promise<number[]>;
}

/** Team policies come from configuration, not the database. */
export interface TeamDirectory {
  find(teamId: string): TeamPolicy | undefined;
  all(): readonly TeamPolicy[];
}
