import type { Lead, Member } from './lead.js';

/** What messenger adapters read to show leads, and where each platform's copy of a card lives. */
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
