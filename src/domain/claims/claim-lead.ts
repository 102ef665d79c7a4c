import { authorize } from '../access/access-policy.js';
import type { PoolTx } from '../distribution/pool-store.js';
import type { Lead, Member, TeamPolicy } from '../leads/lead.js';
import type { LeadCardData } from '../leads/lead-read-model.js';
import type { FollowUpWindow, LeadChange, LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { conversionWindow, followUpWindow, requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { desksChanged, type Notification } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { ClaimLatch } from './claim-latch.js';
import type { ClaimReads, ClaimTx } from './claim-store.js';
import { claimVerdict, memberRefusal, takenToday } from './claim-verdict.js';

export interface ClaimLeadDeps {
  store: TxStore<LeadTx & ClaimTx & PoolTx> & ClaimReads;
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
  /** The claimed lead's card as the claim left it, when the claim's write returned it. */
  card?: LeadCardData;
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
   * is its own to report; the process's latch bounds how long it is waited for.
   */
  afterWin?: (result: ClaimResult) => Promise<void>,
): Promise<ClaimResult> {
  const inFlight = deps.claims?.current(input.leadId);
  if (!inFlight) {
    // The first click in this process goes straight to its claim: a peek first would cost a round
    // trip (and a turn of a busy event loop) on the path of the likely winner.
    const first = deps.claims ? claimOnARead(deps, input) : peekThenClaim(deps, input);
    const claim = first.then(async (result) => {
      if (afterWin) {
        const done = afterWin(result).catch(() => undefined);
        // The process bounds the wait (a hung reply must not hold the clicks behind the winner).
        await (deps.claims ? deps.claims.bounded(done) : done);
      }
      return result;
    });
    return deps.claims ? deps.claims.hold(input.leadId, claim) : claim;
  }
  await inFlight.catch(() => undefined);
  return peekThenClaim(deps, input);
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
  return claimOnARead(deps, input);
}

/**
 * Nearly every claim is judged on one read and written in one statement, without a transaction
 * held across the round trips: the write is conditional on the lead's row and the member's claims
 * being as read, so it is as exact as the locked path. When anything changed in between, or the
 * team caps its day (those counts need the day's lock), the claim runs in its transaction.
 */
async function claimOnARead(deps: ClaimLeadDeps, input: ClaimLeadInput): Promise<ClaimResult> {
  const now = deps.clock.now();
  const snap = await deps.store.claimSnapshot({
    leadId: input.leadId,
    who: input.actor,
    dayStarts: dayStartsOf(deps.teams, now),
    now,
    ...(input.requestId ? { requestId: input.requestId } : {}),
  });
  if (!snap) throw new DomainError('lead.not_found', { lead: input.leadId });
  if (snap.repeated) throw new DomainError('request.repeated');
  const { lead, member } = snap;
  const team = requireTeam(deps.teams, lead.teamId);
  if (capsTheDay(team, lead)) return claimInTransaction(deps, input);
  const verdict = claimVerdict({ ...snap, team, taken: null, now });
  if (verdict) throw verdict;
  if (!member) throw new DomainError('member.not_in_team', { team: team.name });
  authorize({ memberships: [member] }, 'claim', lead);
  const window = followUpWindow(team, now, undefined, lead.grade);
  const card = await deps.store.claimIfUnchanged({
    change: claimChange(lead, member, team, now, window),
    memberId: member.id,
    version: snap.version,
    ...(input.requestId ? { requestId: input.requestId } : {}),
    notifications: claimNotices(lead.id, member.id),
  });
  if (!card) return claimInTransaction(deps, input);
  return { leadId: lead.id, member, dueAt: window.dueAt, card };
}

/**
 * The start of today in each team's zone: the read counts a rep's claims from their lead's team's.
 * Reckoned once per zone, not per team: it runs for every click, and teams mostly share a few zones.
 */
function dayStartsOf(teams: TeamDirectory, now: Date): Map<string, Date> {
  const byZone = new Map<string, Date>();
  const startIn = (zone: string) => {
    const start = byZone.get(zone) ?? startOfLocalDay(now, zone);
    byZone.set(zone, start);
    return start;
  };
  return new Map(teams.all().map((t) => [t.id, startIn(t.timeZone)]));
}

/** The team or the lead's pool limits what it gives out per day. */
function capsTheDay(team: TeamPolicy, lead: Lead): boolean {
  return Boolean(team.teamDailyLimit || team.pools?.find((p) => p.id === lead.poolId)?.dailyLimit);
}

function claimChange(lead: Lead, member: Member, team: TeamPolicy, now: Date, window: FollowUpWindow): LeadChange {
  return {
    leadId: lead.id,
    transition: planMove(lead, { kind: 'claim', ownerId: member.id }),
    action: 'claimed',
    actorId: member.id,
    reason: 'claim_pool',
    at: now,
    window,
    conversion: conversionWindow(team, now),
  };
}

/** The card's edit, the winner's DM and their desk. */
function claimNotices(leadId: number, memberId: string): Notification[] {
  return [
    { kind: 'lead.card', leadId },
    { kind: 'member.dm', memberId, leadId, topic: 'dm.claim_won', params: {} },
    ...desksChanged(memberId),
  ];
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
    // Who may not take it at all is told so before anything is counted.
    const refused = memberRefusal(member, lead, team, now);
    if (refused) throw refused;
    const owner = lead.ownerId ? await tx.currentOwner(lead.id) : null;
    const counters = await tx.claimCounters(lead.id, member.id, startOfLocalDay(now, team.timeZone), now);
    const taken = await takenToday(tx, team, lead, now, true);
    const verdict = claimVerdict({ lead, team, member, owner, counters, taken, now });
    if (verdict) throw verdict;
    authorize({ memberships: [member] }, 'claim', lead);

    const window = followUpWindow(team, now, undefined, lead.grade);
    const won = await tx.transition(claimChange(lead, member, team, now, window));
    if (!won) {
      const owner = await tx.currentOwner(lead.id);
      if (owner) refuseOwned(owner, member.id);
      throw new DomainError('lead.not_claimable', { lead: lead.id });
    }
    for (const notice of claimNotices(lead.id, member.id)) await tx.enqueue(notice, now);
    return { leadId: lead.id, member, dueAt: window.dueAt };
  });
}

function refuseOwned(owner: Member | null, clickerId: string | null): never {
  throw new DomainError('lead.already_claimed', {
    owner: owner?.displayName ?? '?',
    yours: owner !== null && owner.id === clickerId ? 1 : 0,
  });
}
