import { authorize } from '../access/access-policy.js';
import { firstLookUntil, inPool, outsideFirstLook } from '../distribution/pools.js';
import { type Lead, limitsOf, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { ClaimCounters, LeadStore, LeadTx, TeamDirectory } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { conversionWindow, followUpWindow, requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { desksChanged } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { ClaimLatch } from './claim-latch.js';

export interface ClaimLeadDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
  /** Shared by every claim of the process; without one, each claim goes straight to its transaction. */
  claims?: ClaimLatch;
}

export interface ClaimLeadInput {
  leadId: number;
  actor: Identity;
  /** The messenger's id for this click, when it may redeliver it: a repeat changes nothing. */
  requestId?: string;
}

export interface ClaimResult {
  leadId: number;
  member: Member;
  dueAt: Date;
}

/**
 * Claims a pooled lead for the clicking rep. The rep's row is locked first, so the daily quota and
 * holding cap are checked and the conditional write made in one transaction: concurrent clicks by
 * the same rep queue behind each other, and clicks by different reps race only on the lead row,
 * where exactly one conditional UPDATE wins.
 */
export async function claimLead(
  deps: ClaimLeadDeps,
  input: ClaimLeadInput,
  /**
   * What the winner does before the clicks queued behind it are answered: replacing the clicked
   * card, so the channel sees the owner at once instead of after a burst of refusals. Its failure
   * is its own to report; it is waited for at most `AFTER_WIN_WAIT_MS`.
   */
  afterWin?: (result: ClaimResult) => Promise<void>,
): Promise<ClaimResult> {
  const inFlight = deps.claims?.current(input.leadId);
  if (!inFlight) {
    // The first click in this process goes straight to its transaction: a peek first would cost a
    // round trip (and a turn of a busy event loop) on the path of the likely winner.
    const first = deps.claims ? claimInTransaction(deps, input) : peekThenClaim(deps, input);
    const claim = first.then(async (result) => {
      if (afterWin) await settledWithin(afterWin(result), AFTER_WIN_WAIT_MS);
      return result;
    });
    return deps.claims ? deps.claims.hold(input.leadId, claim) : claim;
  }
  await inFlight.catch(() => undefined);
  return peekThenClaim(deps, input);
}

/** The longest the clicks behind a winner wait for its `afterWin` (a hung reply must not hold them). */
export const AFTER_WIN_WAIT_MS = 1_000;

async function settledWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.catch(() => undefined), late]);
  clearTimeout(timer);
}

/**
 * In a burst on one lead nearly every click comes after the winner: refusing those from one read,
 * without a transaction and row locks, keeps the answers fast. The conditional write in the
 * transaction still decides every race the read could miss.
 */
async function peekThenClaim(deps: ClaimLeadDeps, input: ClaimLeadInput): Promise<ClaimResult> {
  const read = (who: readonly Identity[]) => deps.store.peekClaims(input.leadId, who);
  const peek = deps.claims
    ? await deps.claims.peek(input.leadId, input.actor, read)
    : ((await read([input.actor]))[0] ?? null);
  if (peek?.owner && peek.actorIsActiveMember && !peek.actorIsOwner) refuseOwned(peek.owner, null);
  return claimInTransaction(deps, input);
}

async function claimInTransaction(deps: ClaimLeadDeps, input: ClaimLeadInput): Promise<ClaimResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await handleOnce(tx, input.requestId, now);
    const lead = await tx.findLead(input.leadId);
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = await tx.lockMemberByIdentity(team.id, input.actor);
    if (!member) throw new DomainError('member.not_in_team', { team: team.name });
    const refused = memberRefusal(member, lead, team, now);
    if (refused) throw refused;
    if (lead.ownerId) refuseOwned(await tx.currentOwner(lead.id), member.id);
    authorize({ memberships: [member] }, 'claim', lead);

    const limits = await tx.claimCounters(lead.id, member.id, startOfLocalDay(now, team.timeZone), now);
    const overLimit =
      limitRefusal(limits, team, now, member.displayName) ?? (await dailyCapRefusal(tx, team, lead, now));
    if (overLimit) throw overLimit;

    const window = followUpWindow(team, now, undefined, lead.grade);
    const won = await tx.transition({
      leadId: lead.id,
      transition: planMove(lead, { kind: 'claim', ownerId: member.id }),
      action: 'claimed',
      actorId: member.id,
      reason: 'claim_pool',
      at: now,
      window,
      conversion: conversionWindow(team, now),
    });
    if (!won) {
      const owner = await tx.currentOwner(lead.id);
      if (owner) refuseOwned(owner, member.id);
      throw new DomainError('lead.not_claimable', { lead: lead.id });
    }
    await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    await tx.enqueue(
      { kind: 'member.dm', memberId: member.id, leadId: lead.id, topic: 'dm.claim_won', params: {} },
      now,
    );
    for (const desk of desksChanged(member.id)) await tx.enqueue(desk, now);
    return { leadId: lead.id, member, dueAt: window.dueAt };
  });
}

function refuseOwned(owner: Member | null, clickerId: string | null): never {
  throw new DomainError('lead.already_claimed', {
    owner: owner?.displayName ?? '?',
    yours: owner !== null && owner.id === clickerId ? 1 : 0,
  });
}

/** Why this member may not claim this lead at all right now (inactive, paused, not in its pool); null when they may. */
export function memberRefusal(member: Member, lead: Lead, team: TeamPolicy, now: Date): DomainError | null {
  if (!member.active) return new DomainError('member.inactive');
  const pause = pausedAt(member, now);
  if (pause)
    return pause.until
      ? new DomainError('member.paused', { until: pause.until })
      : new DomainError('member.paused_open');
  const pool = team.pools?.find((p) => p.id === lead.poolId);
  if (pool && !inPool(pool, member.displayName)) return new DomainError('claim.not_in_pool', { pool: pool.name });
  if (pool && outsideFirstLook(pool, lead, member.displayName, now))
    return new DomainError('claim.first_look', { until: firstLookUntil(pool, lead, now) as Date });
  return null;
}

/** Which limit a claim would break: the cooldown on this lead, the daily quota (and when it resets), the holding cap. */
export function limitRefusal(
  limits: ClaimCounters,
  team: TeamPolicy,
  now: Date,
  memberName: string,
): DomainError | null {
  const { dailyQuota, holdingCap } = limitsOf(team, memberName);
  if (limits.bannedUntil) return new DomainError('claim.cooldown', { until: limits.bannedUntil });
  if (limits.claimedToday >= dailyQuota)
    return new DomainError('claim.daily_quota', {
      used: limits.claimedToday,
      quota: dailyQuota,
      until: nextMidnight(team, now),
    });
  if (limits.held >= holdingCap) return new DomainError('claim.holding_cap', { held: limits.held, cap: holdingCap });
  return null;
}

const nextMidnight = (team: TeamPolicy, now: Date) =>
  startOfLocalDay(new Date(startOfLocalDay(now, team.timeZone).getTime() + 36 * 3_600_000), team.timeZone);

/**
 * The team's and the lead's pool's caps per day, where set. Counting them is made safe by holding
 * the team's daily turn for the rest of the transaction: two claims (or a claim and an assignment)
 * cannot both take the last lead of the day.
 */
export async function dailyCapRefusal(
  tx: LeadTx,
  team: TeamPolicy,
  lead: Lead,
  now: Date,
  /** False for a look that takes nothing (`/lead why`): it need not wait for takers. */
  taking = true,
): Promise<DomainError | null> {
  const pool = team.pools?.find((p) => p.id === lead.poolId);
  if (!team.teamDailyLimit && !pool?.dailyLimit) return null;
  if (taking) await tx.lockPool(team.id, '#daily');
  const taken = await tx.takenToday(team.id, pool?.id ?? null, startOfLocalDay(now, team.timeZone));
  const until = nextMidnight(team, now);
  if (team.teamDailyLimit && taken.team >= team.teamDailyLimit)
    return new DomainError('claim.team_daily', { used: taken.team, limit: team.teamDailyLimit, until });
  if (pool?.dailyLimit && taken.pool >= pool.dailyLimit)
    return new DomainError('claim.pool_daily', { pool: pool.name, used: taken.pool, limit: pool.dailyLimit, until });
  return null;
}
