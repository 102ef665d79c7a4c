import type { Lead } from '../leads/lead.js';

export interface PoolMemberStats {
  assigned: number;
  held: number;
  takenToday: number;
  bannedUntil: Date | null;
}

/** A pool's turn and the counts its modes choose by, inside the assigning transaction. */
export interface PoolTx {
  /** Holds a pool's turn for the rest of the transaction: two assigners of one pool take turns, never pick at once. */
  lockPool(teamId: string, poolId: string): Promise<void>;
  /** Per member: leads the pool gave them, open leads held, leads taken since `dayStart`, and a cooldown on `leadId`. */
  poolStats(input: {
    teamId: string;
    poolId: string;
    leadId: number;
    memberIds: readonly string[];
    dayStart: Date;
    now: Date;
  }): Promise<Map<string, PoolMemberStats>>;
  /** Per member: leads they converted and follow-ups they logged since `since`, for a ranking pool. */
  rankingRecords(
    teamId: string,
    memberIds: readonly string[],
    since: Date,
  ): Promise<Map<string, { conversions: number; followUps: number }>>;
  /** Puts a lead in another pool, with an audit row (`pool_moved`, from → to). */
  setLeadPool(input: { lead: Lead; poolId: string; actorId: string; at: Date }): Promise<void>;
  /** Leads the team (and the pool, if named) took since `dayStart`: claims and assignments. */
  takenToday(teamId: string, poolId: string | null, dayStart: Date): Promise<{ team: number; pool: number }>;
  /** Sets the given members' counts (a catch-up), then counts one more lead for `chosen`. */
  recordPoolShare(
    teamId: string,
    poolId: string,
    raised: readonly { memberId: string; assigned: number }[],
    chosen: string,
  ): Promise<void>;
}
