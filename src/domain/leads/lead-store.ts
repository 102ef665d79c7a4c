import type { Identity } from '../members/identity.js';
import type { Notification } from '../notifications/notification.js';
import type { Lead, LeadStage, Member, TeamPolicy } from './lead.js';

/** An ownership change: the one path every claim, assignment and reclaim takes, with its audit row. */
export interface OwnershipChange {
  leadId: number;
  expectedOwnerId: string | null;
  newOwnerId: string | null;
  actorId: string | null;
  actorKind: 'member' | 'system';
  action: 'claimed' | 'reclaimed' | 'released';
  reason: string;
  at: Date;
  followUpDueAt: Date | null;
  remindAt: Date | null;
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
  findMember(memberId: string): Promise<Member | null>;
  /** The lead's current owner, read fresh (after a lost race). */
  currentOwner(leadId: number): Promise<Member | null>;
  findMemberByIdentity(teamId: string, who: Identity): Promise<Member | null>;
  /**
   * Records an inbound request (a messenger's event id) as handled, in this transaction: false when it
   * already was, so a redelivered request changes nothing, and a rolled-back one can run again.
   */
  markRequestHandled(key: string, at: Date): Promise<boolean>;
  /** What the claim limits need, read in one go: cooldown end, claims since `dayStart`, leads held. */
  claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters>;
  /** Conditional write: true only when the lead still had `expectedOwnerId`. */
  changeOwner(change: OwnershipChange): Promise<boolean>;
  banFromClaiming(leadId: number, memberId: string, until: Date): Promise<void>;
  /** Conditional write: true only for the owner, and only once per deadline. */
  markReminded(leadId: number, ownerId: string, remindAt: Date, at: Date): Promise<boolean>;
  recordFollowUp(input: {
    leadId: number;
    memberId: string;
    method: string;
    note: string;
    at: Date;
    followUpDueAt: Date;
    remindAt: Date;
    nextContactAt: Date | null;
    stage: LeadStage;
  }): Promise<void>;
  managersOf(teamId: string): Promise<Member[]>;
  /** Conditional write on a lead awaiting its duplicate answer: true only if it was still awaiting. */
  settleDuplicate(
    leadId: number,
    status: 'pooled' | 'merged',
    duplicateOfId: number | null,
    at: Date,
  ): Promise<boolean>;
  recordEvent(event: {
    leadId: number;
    action: string;
    actorId: string | null;
    reason: string;
    at: Date;
  }): Promise<void>;
  enqueue(notification: Notification, at: Date): Promise<void>;
}

/** A claim's view of a lead before any lock: who owns it, and whether the clicker could claim at all. */
export interface ClaimPeek {
  owner: Member | null;
  /** The identity is an active member of the lead's team. */
  actorIsActiveMember: boolean;
  /** The identity belongs to the lead's owner. */
  actorIsOwner: boolean;
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
  membersByIdentity(who: Identity): Promise<Member[]>;
  /** Open leads of these members, soonest follow-up deadline first. */
  ownedLeads(memberIds: string[]): Promise<Lead[]>;
  leadIdsDueForReminder(now: Date, limit: number): Promise<number[]>;
  leadIdsBreached(now: Date, limit: number): Promise<number[]>;
  /** Likely duplicates whose owner did not answer in time. */
  leadIdsDuplicateUnanswered(now: Date, limit: number): Promise<number[]>;
}

/** Team policies come from configuration, not the database. */
export interface TeamDirectory {
  find(teamId: string): TeamPolicy | undefined;
  all(): readonly TeamPolicy[];
}
