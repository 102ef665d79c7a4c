import type { Identity } from '../members/identity.js';
import type { ClaimPeek } from './claim-store.js';

export type PeekMany = (who: Identity[]) => Promise<readonly (ClaimPeek | null)[]>;

/**
 * What a claim may ask of the process it runs in (see infra/process/claim-latch.ts): the claim on
 * the same lead already in flight, and one read for the peeks that wake together. Optional: the
 * conditional write alone decides every race; this only keeps a burst of clicks cheap.
 */
export interface ClaimLatch {
  /** The claim in flight on this lead, if any. */
  current(leadId: number): Promise<unknown> | undefined;
  /** Marks `work` as the claim in flight on `leadId` until it settles. */
  hold<T>(leadId: number, work: Promise<T>): Promise<T>;
  /** `work`, waited for no longer than the process allows the clicks behind a winner to wait. */
  bounded(work: Promise<void>): Promise<void>;
  /** Peeks asked for one lead together are read by one call of `read`. */
  peek(leadId: number, who: Identity, read: PeekMany): Promise<ClaimPeek | null>;
}
