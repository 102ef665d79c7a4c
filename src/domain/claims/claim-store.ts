import type { Lead, Member } from '../leads/lead.js';
import type { LeadCardData } from '../leads/lead-read-model.js';
import type { LeadChange } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Notification } from '../notifications/notification.js';

export interface ClaimCounters {
  bannedUntil: Date | null;
  claimedToday: number;
  held: number;
}

/** A claim's locks and counts, inside its transaction. */
export interface ClaimTx {
  /** Locks the member row: one rep's claims run one at a time, so quota checks cannot race. */
  lockMemberByIdentity(teamId: string, who: Identity): Promise<Member | null>;
  /** What the claim limits need, read in one go: cooldown end, claims since `dayStart`, leads held. */
  claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters>;
}

export interface ClaimPeek {
  owner: Member | null;
  /** The identity is an active member of the lead's team. */
  actorIsActiveMember: boolean;
  /** The identity belongs to the lead's owner. */
  actorIsOwner: boolean;
}

/** What a claim is judged on, read in one go without locks (see `claimLead`). */
export interface ClaimSnapshot {
  lead: Lead;
  /** The clicker's membership in the lead's team, active or not; null when they have none. */
  member: Member | null;
  owner: Member | null;
  counters: ClaimCounters;
  /** The click was handled before (a redelivery). */
  repeated: boolean;
  /** What the write is conditional on: the lead's row as read, and the member's claims so far. */
  version: { lead: string; member: number };
}

/** A claim judged on a snapshot, to be written only if nothing it was judged on has changed. */
export interface JudgedClaim {
  change: LeadChange;
  memberId: string;
  version: ClaimSnapshot['version'];
  requestId?: string;
  notifications: readonly Notification[];
}

/** A claim's reads outside a transaction: refusing a burst of clicks on an owned lead, a desk's counts. */
export interface ClaimReads {
  /**
   * One read, no lock, for several clickers at once: lets a claim on an owned lead be refused
   * without a transaction. One answer per identity, in order; null when there is no such lead.
   */
  peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]>;
  /**
   * Everything a claim is judged on, in one read without locks; null when there is no such lead.
   * Claims are counted from the start of the day in the lead's team (`dayStarts`, by team id).
   */
  claimSnapshot(read: {
    leadId: number;
    who: Identity;
    dayStarts: ReadonlyMap<string, Date>;
    now: Date;
    requestId?: string;
  }): Promise<ClaimSnapshot | null>;
  /**
   * Writes a judged claim in one statement (the move, its audit row, its notifications, the
   * request's mark, the member's claim count) if the lead's row, the member's claims and the
   * request are as the snapshot read them. Returns the claimed lead's card, or null, having written
   * nothing, when something changed.
   */
  claimIfUnchanged(claim: JudgedClaim): Promise<LeadCardData | null>;
  /** Claims the member made since `since`. */
  claimedSince(memberId: string, since: Date): Promise<number>;
  /** Leads these members may not claim again yet, soonest end first. */
  activeCooldowns(memberIds: string[], now: Date): Promise<{ leadId: number; until: Date }[]>;
}
