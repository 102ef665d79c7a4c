import type { FollowUpWindow } from '../leads/lead-store.js';

/** The deadline sweeps' moves, each on many leads at once, skipping leads another sweep holds. */
export interface SlaTx {
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
  /** Like `remindDue`, for the conversion deadline's warning. */
  warnConversionDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]>;
}

/** Requests for more time and their answers. */
export interface ExtensionTx {
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
}

/** Which leads a sweep should look at now (outside a transaction, without locks). */
export interface SweepReads {
  leadIdsDueForReminder(now: Date, limit: number): Promise<number[]>;
  leadIdsBreached(now: Date, limit: number): Promise<number[]>;
  /** Likely duplicates whose owner did not answer in time. */
  leadIdsDuplicateUnanswered(now: Date, limit: number): Promise<number[]>;
  /** Pooled leads of these (system-assigned) pools, oldest first: waiting for an owner. */
  leadIdsWaitingInPools(pools: readonly { teamId: string; poolId: string }[], limit: number): Promise<number[]>;
}
