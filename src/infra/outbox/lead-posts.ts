// Where the messengers' cards of leads are: delivery's own record, not a rule of the domain.
import type { PostRef } from '../../domain/leads/lead-read-model.js';

export type { PostRef };

/** Where each lead's card lives per messenger, so changes edit the card instead of re-posting it. */
export interface LeadPostStore {
  find(leadId: number, messenger: string): Promise<PostRef | null>;
  save(leadIds: readonly number[], messenger: string, ref: PostRef): Promise<void>;
  /** Closes a burst (a lead that comes later gets a card of its own) and lists its leads, oldest first. */
  sealBurst(burstId: number): Promise<number[]>;
  burstLeads(burstId: number): Promise<number[]>;
}

/** A message in a channel, by the first lead it shows (a burst page shows several). */
export interface ChannelMessage {
  messageId: string;
  leadId: number;
}

/** A channel's latest lead messages, for a messenger that draws its channel itself (the playground). */
export interface ChannelPosts {
  /** The newest `limit` messages of the channel, oldest first. */
  recent(messenger: string, channelId: string, limit: number): Promise<ChannelMessage[]>;
}
