import type { VisibleScope } from '../access/access-policy.js';
import type { Identity } from '../members/identity.js';
import type { Notification } from '../notifications/notification.js';
import type { Lead, Member, TeamPolicy } from './lead.js';
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

/** Runs `work` in one database transaction, handing it the ports (`Tx`) the use case needs. */
export interface TxStore<Tx> {
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
}

/**
 * What every use case that changes a lead does inside its transaction: read and lock the lead and
 * the people, make the planned move with its audit row, queue what to tell, and mark a redelivered
 * request. Each capability adds its own port (`ClaimTx`, `SlaTx`, `PoolTx`…) beside this one.
 */
export interface LeadTx {
  findLead(leadId: number, opts?: { forUpdate?: boolean }): Promise<Lead | null>;
  /** The team's lead with this external id, locked: the one not merged into another if there is one. */
  findLeadByExternalId(teamId: string, externalId: string): Promise<Lead | null>;
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
  /** Conditional write of a planned move and its audit row: false when the lead moved meanwhile. */
  transition(change: LeadChange): Promise<boolean>;
  /** Display names of these members. */
  memberNames(memberIds: readonly string[]): Promise<Map<string, string>>;
  managersOf(teamId: string): Promise<Member[]>;
  /** Every member of a team, active or not, by name. */
  teamMembers(teamId: string): Promise<Member[]>;
  /** Queues a notification for every messenger, or only for `sinks` (e.g. the conversion webhook). */
  enqueue(notification: Notification, at: Date, sinks?: readonly string[]): Promise<void>;
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

/** Reads of leads outside a transaction: a desk, a search, a team's lists and backlog. */
export interface LeadReads {
  findLead(leadId: number): Promise<Lead | null>;
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
  /** Owned leads past their deadline in these teams (every team when null), most overdue first, with owner names. */
  overdueLeads(teamIds: string[] | null, now: Date, limit: number): Promise<LeadWithOwner[]>;
}

/** Team policies come from configuration, not the database. */
export interface TeamDirectory {
  find(teamId: string): TeamPolicy | undefined;
  all(): readonly TeamPolicy[];
}
