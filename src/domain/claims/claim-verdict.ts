import type { PoolTx } from '../distribution/pool-store.js';
import { firstLookUntil, inPool, isSystemAssigned, outsideFirstLook } from '../distribution/pools.js';
import { type Lead, limitsOf, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import { DomainError } from '../shared/errors.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { ClaimCounters } from './claim-store.js';

/**
 * Everything a claim is judged on: the lead, the person's membership in its team, the policy, the
 * counts and the clock. The list of what a rep may claim, `/lead why`, and the click itself all
 * gather these and ask `claimVerdict`, so what is offered is what a click gets.
 */
export interface ClaimFacts {
  lead: Lead;
  team: TeamPolicy;
  /** The asker's active membership in the lead's team; null when they have none. */
  member: Member | null;
  /** Who owns the lead, when someone does. */
  owner: Member | null;
  counters: ClaimCounters;
  /** Leads the team and the lead's pool took today; null when neither caps its day. */
  taken: { team: number; pool: number } | null;
  now: Date;
}

/** Null when a click now would win the lead; else the refusal the click gets, and `/lead why` gives. */
export function claimVerdict(f: ClaimFacts): DomainError | null {
  if (!f.member) return new DomainError('member.not_in_team', { team: f.team.name });
  return (
    memberRefusal(f.member, f.lead, f.team, f.now) ??
    ownedRefusal(f.lead, f.owner, f.member) ??
    limitRefusal(f.counters, f.team, f.now, f.member.displayName) ??
    capRefusal(f.team, f.lead, f.taken, f.now)
  );
}

/** Why this member may not claim this lead at all right now (inactive, paused, not theirs to claim); null when they may. */
export function memberRefusal(member: Member, lead: Lead, team: TeamPolicy, now: Date): DomainError | null {
  if (!member.active) return new DomainError('member.inactive');
  const pause = pausedAt(member, now);
  if (pause)
    return pause.until
      ? new DomainError('member.paused', { until: minuteAfter(pause.until) })
      : new DomainError('member.paused_open');
  const pool = team.pools?.find((p) => p.id === lead.poolId);
  if (pool && !inPool(pool, member.displayName)) return new DomainError('claim.not_in_pool', { pool: pool.name });
  // Its pool gives its leads out itself (at opening, or when someone is free): nobody claims them.
  if (pool && isSystemAssigned(pool)) return new DomainError('claim.assigned_by_pool', { pool: pool.name });
  if (pool && outsideFirstLook(pool, lead, member.displayName, now))
    return new DomainError('claim.first_look', {
      until: minuteAfter(firstLookUntil(pool, lead, now) as Date),
      who: namesOf(pool.firstTo?.memberNames ?? []),
    });
  return null;
}

function ownedRefusal(lead: Lead, owner: Member | null, member: Member): DomainError | null {
  if (lead.status === 'pooled' && !lead.ownerId) return null;
  if (owner)
    return new DomainError('lead.already_claimed', { owner: owner.displayName, yours: owner.id === member.id ? 1 : 0 });
  return new DomainError('lead.not_claimable', { lead: lead.id });
}

/** Which limit a claim would break: the cooldown on this lead, the daily quota (and when it resets), the holding cap. */
export function limitRefusal(
  limits: ClaimCounters,
  team: TeamPolicy,
  now: Date,
  memberName: string,
): DomainError | null {
  const { dailyQuota, holdingCap } = limitsOf(team, memberName);
  if (limits.bannedUntil) return new DomainError('claim.cooldown', { until: minuteAfter(limits.bannedUntil) });
  if (limits.claimedToday >= dailyQuota)
    return new DomainError('claim.daily_quota', {
      used: limits.claimedToday,
      quota: dailyQuota,
      until: nextMidnight(team, now),
    });
  if (limits.held >= holdingCap) return new DomainError('claim.holding_cap', { held: limits.held, cap: holdingCap });
  return null;
}

/** The team's and the lead's pool's caps per day, from what they took today. */
export function capRefusal(team: TeamPolicy, lead: Lead, taken: ClaimFacts['taken'], now: Date): DomainError | null {
  if (!taken) return null;
  const pool = team.pools?.find((p) => p.id === lead.poolId);
  const until = nextMidnight(team, now);
  if (team.teamDailyLimit && taken.team >= team.teamDailyLimit)
    return new DomainError('claim.team_daily', { used: taken.team, limit: team.teamDailyLimit, until });
  if (pool?.dailyLimit && taken.pool >= pool.dailyLimit)
    return new DomainError('claim.pool_daily', { pool: pool.name, used: taken.pool, limit: pool.dailyLimit, until });
  return null;
}

/**
 * What the team and the lead's pool took today, when either caps its day. A taker holds the team's
 * daily turn for the rest of its transaction: two claims (or a claim and an assignment) cannot both
 * take the last lead of the day. A look that takes nothing (a list, `/lead why`) need not wait.
 */
export async function takenToday(
  tx: Pick<PoolTx, 'lockPool' | 'takenToday'>,
  team: TeamPolicy,
  lead: Pick<Lead, 'poolId'>,
  now: Date,
  taking: boolean,
): Promise<ClaimFacts['taken']> {
  const pool = team.pools?.find((p) => p.id === lead.poolId);
  if (!team.teamDailyLimit && !pool?.dailyLimit) return null;
  if (taking) await tx.lockPool(team.id, '#daily');
  return tx.takenToday(team.id, pool?.id ?? null, startOfLocalDay(now, team.timeZone));
}

/** The caps' refusal for a lead, read in the transaction (see `takenToday`). */
export async function dailyCapRefusal(
  tx: Pick<PoolTx, 'lockPool' | 'takenToday'>,
  team: TeamPolicy,
  lead: Lead,
  now: Date,
  taking = true,
): Promise<DomainError | null> {
  return capRefusal(team, lead, await takenToday(tx, team, lead, now, taking), now);
}

export const nextMidnight = (team: TeamPolicy, now: Date) =>
  startOfLocalDay(new Date(startOfLocalDay(now, team.timeZone).getTime() + 36 * 3_600_000), team.timeZone);

/**
 * A time a person is told they may act from, as a whole minute at or after it: people read times
 * to the minute, and "from 10:17" must not refuse a click at 10:17:01 when the end is 10:17:24.
 */
export function minuteAfter(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / 60_000) * 60_000);
}

/** Up to three names, then how many more. */
function namesOf(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} +${names.length - 3}`;
}
