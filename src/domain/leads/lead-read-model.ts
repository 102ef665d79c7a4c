import type { Identity } from '../members/identity.js';
import type { Lead, Member } from './lead.js';

export interface LeadCardData {
  lead: Lead;
  owner: Member | null;
  /** Set when the lead is back in the pool after a reclaim: who lost it. */
  returnedFrom: Member | null;
  /**
   * How an owned lead's owner got it: a claim, a manager's assignment (`by` names the manager) or
   * its pool's rules (`by` null). Absent: unknown, shown as a claim.
   */
  taken?: { how: 'claimed' } | { how: 'assigned'; by: string | null };
  /** Open leads of the same company in the team, shown together. */
  related: { id: number; status: Lead['status']; ownerName: string | null }[];
  /** While it is open in its pool: the qualified reps it was announced to, to name on its card. */
  alerted?: { name: string; identities: readonly Identity[] }[];
  /**
   * Where each messenger shows it, when the read had that at hand (a claim's write returns it): its
   * card is then redrawn without another read. A messenger missing here has not shown it.
   */
  posts?: Readonly<Record<string, PostRef>>;
}

/** Where one messenger's copy of a lead's card is, and since when (some messengers edit only recent ones). */
export interface PostRef {
  channelId: string;
  messageId: string;
  postedAt?: Date;
  /** Set when the message is a page of that burst's summary card (one line per lead), not a card of its own. */
  burstId?: number;
}

/** One follow-up as shown in a lead's history. */
export interface FollowUpEntry {
  at: Date;
  by: string;
  method: string;
  note: string;
  nextContactAt: Date | null;
  outcome: string | null;
  nextStep: string | null;
}

/** One audit row as shown in a lead's history; `by` is empty for the system. */
export interface HistoryEntry {
  at: Date;
  action: string;
  by: string;
  reason: string;
}

export interface LeadReadModel {
  cardData(leadId: number): Promise<LeadCardData | null>;
  lead(leadId: number): Promise<Lead | null>;
  member(memberId: string): Promise<Member | null>;
  /** The latest follow-ups and audit rows of a lead, newest first. */
  history(leadId: number, limit: number): Promise<{ followUps: FollowUpEntry[]; events: HistoryEntry[] }>;
  /** The member's identity on one messenger, to address a DM; null when they have none there. */
  identityOf(memberId: string, messenger: string): Promise<Identity | null>;
}
