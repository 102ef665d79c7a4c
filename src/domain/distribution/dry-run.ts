import { type Lead, type Member, pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { LeadWithOwner } from '../leads/lead-store.js';
import { pickIn, takesFrom } from './assign-from-pool.js';
import { isSystemAssigned, type Pool, routeLead } from './pools.js';

/** Where one lead went, and where the proposed rules would send it. */
export interface ReplayedLead {
  leadId: number;
  pool: { actual: string | null; proposed: string };
  /** Who has it now; who the proposed rotation would give it to (null: its pool is claimed from). */
  owner: { actual: string | null; proposed: string | null };
}

export interface DryRun {
  leads: ReplayedLead[];
  /** Per member (by name), leads they have now against leads the proposed rotation would give them. */
  byMember: { name: string; actual: number; proposed: number }[];
  /** Per pool (by name), leads routed there then against now. */
  byPool: { name: string; actual: number; proposed: number }[];
}

/**
 * Replays leads (oldest first) through a proposed team policy: each goes to the first pool whose
 * rule matches it; an assigning pool's rotation gives it to the member furthest below their share,
 * from even shares, skipping anyone inactive or paused now (a score-tier pool by tier). The day's
 * caps, cooldowns and a ranking pool's ranks are not replayed: this shows the rules' split, not a
 * particular day's limits.
 */
export function replayLeads(
  team: TeamPolicy,
  recent: readonly LeadWithOwner[],
  members: readonly Member[],
  now: Date,
): DryRun {
  const given = new Map<string, number>();
  const oldestFirst = [...recent].sort((a, b) => a.lead.id - b.lead.id);
  const leads = oldestFirst.map(({ lead, ownerName }): ReplayedLead => {
    const pool = routeLead(team.pools, lead);
    const proposed = isSystemAssigned(pool) ? pick(team, pool, lead, members, given, now) : null;
    if (proposed) given.set(`${pool.id}\u0000${proposed}`, (given.get(`${pool.id}\u0000${proposed}`) ?? 0) + 1);
    return {
      leadId: lead.id,
      pool: { actual: poolName(team, lead), proposed: pool.name },
      owner: { actual: ownerName, proposed },
    };
  });
  return { leads, byMember: tally(leads, (l) => l.owner), byPool: tally(leads, (l) => l.pool) };
}

function pick(
  team: TeamPolicy,
  pool: Pool,
  lead: Lead,
  members: readonly Member[],
  given: ReadonlyMap<string, number>,
  now: Date,
): string | null {
  const able = members.filter((m) => m.active && takesFrom(pool, m) && !pausedAt(m, now));
  const candidates = able.map((m, order) => {
    const assigned = given.get(`${pool.id}\u0000${m.displayName}`) ?? 0;
    return { memberId: m.id, order, weight: pool.weights[m.displayName] ?? 1, assigned, held: assigned, refusal: null };
  });
  const chosen = pickIn(pool, team, lead, able, candidates)?.choice.chosen.memberId;
  return able.find((m) => m.id === chosen)?.displayName ?? null;
}

const poolName = (team: TeamPolicy, lead: Lead) =>
  lead.poolId ? (team.pools?.find((p) => p.id === lead.poolId)?.name ?? lead.poolId) : null;

function tally(
  leads: readonly ReplayedLead[],
  of: (l: ReplayedLead) => { actual: string | null; proposed: string | null },
): { name: string; actual: number; proposed: number }[] {
  const rows = new Map<string, { name: string; actual: number; proposed: number }>();
  const row = (name: string) => rows.get(name) ?? rows.set(name, { name, actual: 0, proposed: 0 }).get(name);
  for (const l of leads) {
    const { actual, proposed } = of(l);
    if (actual) (row(actual) as { actual: number }).actual++;
    if (proposed) (row(proposed) as { proposed: number }).proposed++;
  }
  return [...rows.values()].sort(
    (a, b) => b.proposed - a.proposed || b.actual - a.actual || a.name.localeCompare(b.name),
  );
}
