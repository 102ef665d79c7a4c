import type { Lead, Member } from '../../domain/leads/lead.js';

export type Platform = 'slack' | 'lark';

export interface PostRef {
  channelId: string;
  messageId: string;
}

/** Where each lead's card lives per platform, so changes edit the card instead of re-posting it. */
export interface LeadPostStore {
  find(leadId: number, platform: Platform): Promise<PostRef | null>;
  save(leadId: number, platform: Platform, ref: PostRef): Promise<void>;
}

export interface LeadCardData {
  lead: Lead;
  owner: Member | null;
  /** Set when the lead is back in the pool after a reclaim: who lost it. */
  returnedFrom: Member | null;
  /** Open leads of the same company in the team, shown together. */
  related: { id: number; status: Lead['status']; ownerName: string | null }[];
}

export interface LeadReadModel {
  cardData(leadId: number): Promise<LeadCardData | null>;
  lead(leadId: number): Promise<Lead | null>;
  member(memberId: string): Promise<Member | null>;
}

/** What a platform request was answered with: replayed as is for a repeat of that request. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** Inbound requests already seen, so replays and redeliveries are answered instead of run again. */
export interface ReplayLedger {
  /** True for the first sighting of `key`; false for a repeat. */
  claim(scope: string, key: string, at: Date): Promise<boolean>;
  answer(scope: string, key: string): Promise<StoredAnswer | null>;
  save(scope: string, key: string, answer: StoredAnswer): Promise<void>;
}
