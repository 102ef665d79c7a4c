import { actorOf } from '../access/actor.js';
import type { PoolTx } from '../distribution/pool-store.js';
import { type Lead, limitsOf, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { LeadReads, TeamDirectory, TxStore } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { ClaimReads, ClaimTx } from './claim-store.js';
import { claimVerdict, takenToday } from './claim-verdict.js';

export interface ClaimableDeps {
  store: TxStore<ClaimTx & PoolTx> & LeadReads & ClaimReads;
  teams: TeamDirectory;
  clock: Clock;
}

/** What one membership may claim now: the leads, and the day's count against the limits. */
export interface ClaimableInTeam {
  member: Member;
  teamName: string;
  leads: Lead[];
  /** Set while the member is paused: until when (null: until they resume). */
  paused: { until: Date | null } | null;
  claimedToday: number;
  dailyQuota: number;
}

/**
 * `/lead open`: the pooled leads each of the person's teams would let them claim right now, newest
 * first, and the day's claims against the quota. Each lead is judged by the one judge a click is
 * (`claimVerdict`), on the same facts: pools and their modes, first looks, pauses, cooldowns, the
 * quota and cap, the team's and pools' daily limits. Contact details come with the claim.
 */
export async function listClaimable(deps: ClaimableDeps, who: Identity, limit = 10): Promise<ClaimableInTeam[]> {
  const now = deps.clock.now();
  const memberships = (await actorOf(deps.store, who)).memberships.filter((m) => m.active);
  const cooldowns = new Map(
    (
      await deps.store.activeCooldowns(
        memberships.map((m) => m.id),
        now,
      )
    ).map((c) => [c.leadId, c.until]),
  );
  return Promise.all(
    memberships.flatMap((member) => {
      const team = deps.teams.find(member.teamId);
      return team ? [claimableInTeam(deps, member, team, cooldowns, now, limit)] : [];
    }),
  );
}

async function claimableInTeam(
  deps: ClaimableDeps,
  member: Member,
  team: TeamPolicy,
  cooldowns: ReadonlyMap<number, Date>,
  now: Date,
  limit: number,
): Promise<ClaimableInTeam> {
  const pooled = await deps.store.pooledLeads(team.id, 200);
  const open = await deps.store.transaction(async (tx) => {
    // The member's own counts are the same for every lead; the cooldown is the lead's own.
    const own = await tx.claimCounters(pooled[0]?.id ?? 0, member.id, startOfLocalDay(now, team.timeZone), now);
    const takenByPool = new Map<string | null, Awaited<ReturnType<typeof takenToday>>>();
    const judged: Lead[] = [];
    for (const lead of pooled) {
      const pool = lead.poolId ?? null;
      if (!takenByPool.has(pool)) takenByPool.set(pool, await takenToday(tx, team, lead, now, false));
      const counters = { ...own, bannedUntil: cooldowns.get(lead.id) ?? null };
      const taken = takenByPool.get(pool) ?? null;
      if (claimVerdict({ lead, team, member, owner: null, counters, taken, now }) === null) judged.push(lead);
      if (judged.length >= limit) break;
    }
    return { judged, claimedToday: own.claimedToday };
  });
  const pause = pausedAt(member, now);
  return {
    member,
    teamName: team.name,
    leads: open.judged,
    paused: pause ? { until: pause.until ?? null } : null,
    claimedToday: open.claimedToday,
    dailyQuota: limitsOf(team, member.displayName).dailyQuota,
  };
}
