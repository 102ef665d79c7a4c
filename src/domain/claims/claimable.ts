import { actorOf } from '../access/actor.js';
import { type Lead, limitsOf, type Member, pausedAt } from '../leads/lead.js';
import type { LeadStore, TeamDirectory } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import { memberRefusal } from './claim-lead.js';

export interface ClaimableDeps {
  store: LeadStore;
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
 * `/lead open`: the pooled leads each of the person's teams would let them claim right now, by the
 * same rule a click is judged by (pools, first looks, pauses, cooldowns), newest first, and the
 * day's claims against the quota. Contact details are not part of it: they come with the claim.
 */
export async function listClaimable(deps: ClaimableDeps, who: Identity, limit = 10): Promise<ClaimableInTeam[]> {
  const now = deps.clock.now();
  const memberships = (await actorOf(deps.store, who)).memberships.filter((m) => m.active);
  const cooldowns = new Set(
    (
      await deps.store.activeCooldowns(
        memberships.map((m) => m.id),
        now,
      )
    ).map((c) => c.leadId),
  );
  return Promise.all(
    memberships.flatMap((member) => {
      const team = deps.teams.find(member.teamId);
      if (!team) return [];
      return [
        (async (): Promise<ClaimableInTeam> => {
          const [pooled, claimedToday] = await Promise.all([
            deps.store.pooledLeads(team.id, 200),
            deps.store.claimedSince(member.id, startOfLocalDay(now, team.timeZone)),
          ]);
          const { dailyQuota } = limitsOf(team, member.displayName);
          const open = pooled.filter((l) => !cooldowns.has(l.id) && memberRefusal(member, l, team, now) === null);
          const pause = pausedAt(member, now);
          return {
            member,
            teamName: team.name,
            leads: open.slice(0, limit),
            paused: pause ? { until: pause.until ?? null } : null,
            claimedToday,
            dailyQuota,
          };
        })(),
      ];
    }),
  );
}
