import type { Member } from '../leads/lead.js';
import type { Identity } from '../members/identity.js';

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

/** A claim's reads outside a transaction: refusing a burst of clicks on an owned lead, a desk's counts. */
export interface ClaimReads {
  /**
   * One read, no lock, for several clickers at once: lets a claim on an owned lead be refused
   * without a transaction. One answer per identity, in order; null when there is no such lead.
   */
  peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]>;
  /** Claims the member made since `since`. */
  claimedSince(memberId: string, since: Date): Promise<number>;
  /** Leads these members may not claim again yet, soonest end first. */
  activeCooldowns(memberIds: string[], now: Date): Promise<{ leadId: number; until: Date }[]>;
}
