import { dailyCapRefusal } from '../claims/claim-lead.js';
import { limitsOf, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { LeadStore, PoolMemberStats, TeamDirectory } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { conversionWindow, followUpWindow } from '../leads/team-policy.js';
import { desksChanged } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import { isWorkingTime } from '../sla/working-time.js';
import { type Candidate, chooseAssignee } from './choose-assignee.js';
import { inPool, isSystemAssigned, outsideFirstLook, type Pool } from './pools.js';

export interface AssignDeps {
  store: LeadStore;
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
    const candidates = members.map((m, order) => candidateOf(m, order, pool, team, stats.get(m.id), now));
    const choice = chooseAssignee(pool.mode, candidates);
    if (!choice) return { leadId, assigned: false, reason: 'nobody_available' };
    const ownerId = choice.chosen.memberId;
    const reason = `pool:${pool.id} ${pool.mode}`;
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
    const params = { pool: pool.name };
    await tx.enqueue({ kind: 'member.dm', memberId: ownerId, leadId, topic: 'dm.pool_assigned', params }, now);
    for (const desk of desksChanged(ownerId)) await tx.enqueue(desk, now);
    return { leadId, assigned: true, memberId: ownerId, pool: pool.id, reason };
  });
}

/** A pool naming its members takes from them; one that names nobody takes from the team's reps. */
const takesFrom = (pool: Pool, member: Member) =>
  pool.memberNames ? inPool(pool, member.displayName) : member.role === 'rep';

function candidateOf(
  member: Member,
  order: number,
  pool: Pool,
  team: TeamPolicy,
  stats: PoolMemberStats | undefined,
  now: Date,
): Candidate {
  const s = stats ?? { assigned: 0, held: 0, takenToday: 0, bannedUntil: null };
  return {
    memberId: member.id,
    order,
    weight: pool.weights[member.displayName] ?? 1,
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
