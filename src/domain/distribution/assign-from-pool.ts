import { dailyCapRefusal } from '../claims/claim-verdict.js';
import { limitsOf, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { conversionWindow, followUpWindow } from '../leads/team-policy.js';
import { desksChanged } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import { isWorkingTime } from '../sla/working-time.js';
import { type Candidate, type Choice, chooseAssignee } from './choose-assignee.js';
import type { PoolMemberStats, PoolTx } from './pool-store.js';
import { DEFAULT_RANKING, inPool, isSystemAssigned, isTopTier, outsideFirstLook, type Pool } from './pools.js';
import { rankMembers } from './ranking.js';

export interface AssignDeps {
  store: TxStore<LeadTx & PoolTx>;
  teams: TeamDirectory;
  clock: Clock;
}

/** What became of one lead: who got it and why, or why nobody did (it then stays in the pool, claimable). */
export type PoolAssignment =
  | { leadId: number; assigned: true; memberId: string; pool: string; reason: string }
  | { leadId: number; assigned: false; reason: 'not_waiting' | 'nobody_available' | 'off_hours' };

/**
 * Gives each pooled lead of a system-assigned pool to the member whose turn it is (round robin, or
 * by weight). Each lead is one transaction that holds its pool's turn, reads every candidate's
 * share and limits, and makes the one ownership change every path uses, so two instances never give
 * one lead to two reps and the rotation counts each lead once. Nobody available: the lead stays in
 * the pool, claimable, and a later run (the sweep) tries again.
 */
export async function assignFromPools(deps: AssignDeps, leadIds: readonly number[]): Promise<PoolAssignment[]> {
  const results: PoolAssignment[] = [];
  for (const leadId of leadIds) results.push(await assignOne(deps, leadId));
  return results;
}

async function assignOne(deps: AssignDeps, leadId: number): Promise<PoolAssignment> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx): Promise<PoolAssignment> => {
    const seen = await tx.findLead(leadId);
    const team = seen && deps.teams.find(seen.teamId);
    const pool = team?.pools?.find((p) => p.id === seen?.poolId);
    if (!seen || !team || !pool || !isSystemAssigned(pool) || seen.status !== 'pooled')
      return { leadId, assigned: false, reason: 'not_waiting' };
    // Nobody is given a lead outside the team's working hours: it waits in the pool for the sweep.
    if (team.calendar && !isWorkingTime(now, team.calendar, team.timeZone))
      return { leadId, assigned: false, reason: 'off_hours' };
    // The pool's turn (and the day's caps) before the lead's row, in the order a claim takes them.
    await tx.lockPool(team.id, pool.id);
    if (await dailyCapRefusal(tx, team, seen, now)) return { leadId, assigned: false, reason: 'nobody_available' };
    const lead = await tx.findLead(leadId, { forUpdate: true });
    if (lead?.status !== 'pooled') return { leadId, assigned: false, reason: 'not_waiting' };
    const members = (await tx.teamMembers(team.id)).filter(
      (m) => m.active && takesFrom(pool, m) && !outsideFirstLook(pool, lead, m.displayName, now),
    );
    const stats = await tx.poolStats({
      teamId: team.id,
      poolId: pool.id,
      leadId,
      memberIds: members.map((m) => m.id),
      dayStart: startOfLocalDay(now, team.timeZone),
      now,
    });
    const weights = pool.mode === 'ranking' ? await rankingWeights(tx, team, pool, members, now) : null;
    const candidates = members.map((m, order) =>
      candidateOf(m, order, weights?.get(m.id) ?? pool.weights[m.displayName] ?? 1, team, stats.get(m.id), now),
    );
    const picked = pickIn(pool, team, lead, members, candidates);
    if (!picked) return { leadId, assigned: false, reason: 'nobody_available' };
    const { choice, tier } = picked;
    const ownerId = choice.chosen.memberId;
    const reason = `pool:${pool.id} ${pool.mode}${tier ? ` ${tier}` : ''}`;
    const won = await tx.transition({
      leadId,
      transition: planMove(lead, { kind: 'assign', ownerId }),
      action: 'assigned',
      actorId: null,
      reason,
      at: now,
      window: followUpWindow(team, now, undefined, lead.grade),
      conversion: conversionWindow(team, now),
    });
    if (!won) return { leadId, assigned: false, reason: 'not_waiting' };
    await tx.recordPoolShare(team.id, pool.id, choice.raised, ownerId);
    await tx.enqueue({ kind: 'lead.card', leadId }, now);
    const params = { pool: pool.name, mode: pool.mode };
    await tx.enqueue({ kind: 'member.dm', memberId: ownerId, leadId, topic: 'dm.pool_assigned', params }, now);
    for (const desk of desksChanged(ownerId)) await tx.enqueue(desk, now);
    return { leadId, assigned: true, memberId: ownerId, pool: pool.id, reason };
  });
}

/** A pool naming its members takes from them; one that names nobody takes from the team's reps. */
export const takesFrom = (pool: Pool, member: Member) =>
  pool.memberNames ? inPool(pool, member.displayName) : member.role === 'rep';

/**
 * The pool's pick among the candidates. A `score_tier` pool gives a top-tier lead to the senior
 * members in turns and any other lead to the rest; when nobody in that tier is free, the other
 * tier takes it, so a lead never waits on a busy tier while someone could work it.
 */
export function pickIn(
  pool: Pool,
  team: TeamPolicy,
  lead: { priority: string },
  members: readonly Member[],
  candidates: readonly Candidate[],
): { choice: Choice; tier: 'senior' | 'others' | null } | null {
  if (pool.mode !== 'score_tier') {
    const choice = chooseAssignee(pool.mode, candidates);
    return choice ? { choice, tier: null } : null;
  }
  const senior = new Set(members.filter((m) => team.seniors?.includes(m.displayName)).map((m) => m.id));
  const seniors = candidates.filter((c) => senior.has(c.memberId));
  const others = candidates.filter((c) => !senior.has(c.memberId));
  const order = isTopTier(pool, lead) ? (['senior', seniors, others] as const) : (['others', others, seniors] as const);
  const first = chooseAssignee('round_robin', order[1]);
  if (first) return { choice: first, tier: order[0] };
  const fallback = chooseAssignee('round_robin', order[2]);
  return fallback ? { choice: fallback, tier: order[0] === 'senior' ? 'others' : 'senior' } : null;
}

/** A ranking pool's weights: the members ranked over its window, each weighing their band's share. */
async function rankingWeights(
  tx: LeadTx & PoolTx,
  team: TeamPolicy,
  pool: Pool,
  members: readonly Member[],
  now: Date,
): Promise<Map<string, number>> {
  const rule = pool.ranking ?? DEFAULT_RANKING;
  const since = new Date(now.getTime() - rule.windowMs);
  const records = await tx.rankingRecords(
    team.id,
    members.map((m) => m.id),
    since,
  );
  const ranked = rankMembers(
    rule,
    members.map((m) => ({
      memberId: m.id,
      name: m.displayName,
      ...(records.get(m.id) ?? { conversions: 0, followUps: 0 }),
    })),
  );
  return new Map(ranked.map((r) => [r.memberId, r.weight]));
}

function candidateOf(
  member: Member,
  order: number,
  weight: number,
  team: TeamPolicy,
  stats: PoolMemberStats | undefined,
  now: Date,
): Candidate {
  const s = stats ?? { assigned: 0, held: 0, takenToday: 0, bannedUntil: null };
  return {
    memberId: member.id,
    order,
    weight,
    assigned: s.assigned,
    held: s.held,
    refusal: refusalOf(member, team, s, now),
  };
}

function refusalOf(member: Member, team: TeamPolicy, s: PoolMemberStats, now: Date): string | null {
  const { dailyQuota, holdingCap } = limitsOf(team, member.displayName);
  if (pausedAt(member, now)) return 'paused';
  if (s.bannedUntil) return 'cooldown';
  if (s.held >= holdingCap) return 'holding_cap';
  if (s.takenToday >= dailyQuota) return 'daily_quota';
  return null;
}
