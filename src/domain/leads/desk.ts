import { visibleScope } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { ClaimReads } from '../claims/claim-store.js';
import type { Identity } from '../members/identity.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { Lead, Member } from './lead.js';
import type { LeadReads, TeamDirectory } from './lead-store.js';

/** How many leads each list of the desk shows; the counts are always complete. */
export const DESK_LIMIT = 20;

/** A rep's claims left today in one team (its quota resets at the team's local midnight). */
export interface QuotaLeft {
  teamId: string;
  used: number;
  quota: number;
}

export interface Cooldown {
  leadId: number;
  until: Date;
}

/** What the home view shows one person: their open leads by urgency, limits, and (managers) the team's overdue leads. */
export interface Desk {
  memberships: Member[];
  /** Open leads, soonest deadline first, at most DESK_LIMIT. */
  open: Lead[];
  openCount: number;
  overdueCount: number;
  dueTodayCount: number;
  quotas: QuotaLeft[];
  cooldowns: Cooldown[];
  /** For managers and admins: overdue leads of the teams they manage, with their owner's name. */
  teamOverdue: { lead: Lead; ownerName: string | null }[];
}

export interface DeskDeps {
  store: LeadReads & ClaimReads;
  teams: TeamDirectory;
}

/** One person's desk, now. Every list is read with an index; nothing loads more than DESK_LIMIT leads. */
export async function loadDesk(deps: DeskDeps, who: Identity, now: Date): Promise<Desk> {
  const actor = await actorOf(deps.store, who);
  const memberships = actor.memberships.filter((m) => m.active);
  const ids = memberships.map((m) => m.id);
  const scope = visibleScope(actor);
  const managed = scope.all ? null : scope.teams;
  const dayEnds = memberships.map((m) => endOfLocalDay(now, deps.teams.find(m.teamId)?.timeZone ?? 'UTC'));
  const [summary, open, claims, cooldowns, teamOverdue] = await Promise.all([
    deps.store.deskSummary(ids, now, new Date(Math.max(now.getTime(), ...dayEnds.map((d) => d.getTime())))),
    deps.store.ownedLeads(ids, DESK_LIMIT),
    Promise.all(
      memberships.map((m) =>
        deps.store.claimedSince(m.id, startOfLocalDay(now, deps.teams.find(m.teamId)?.timeZone ?? 'UTC')),
      ),
    ),
    deps.store.activeCooldowns(ids, now),
    ids.length > 0 && (scope.all || scope.teams.length > 0)
      ? deps.store.overdueLeads(managed, now, DESK_LIMIT)
      : Promise.resolve([]),
  ]);
  const quotas = memberships.map((m, i) => ({
    teamId: m.teamId,
    used: claims[i] ?? 0,
    quota: deps.teams.find(m.teamId)?.dailyClaimQuota ?? 0,
  }));
  return { memberships, open, ...summary, quotas, cooldowns, teamOverdue };
}

function endOfLocalDay(now: Date, timeZone: string): Date {
  return startOfLocalDay(new Date(startOfLocalDay(now, timeZone).getTime() + 36 * 3_600_000), timeZone);
}
