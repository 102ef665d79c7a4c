import type { PoolMode } from './pools.js';

/** A member who could get the lead, with how many the pool has given them so far. */
export interface Candidate {
  memberId: string;
  /** The order members take turns in (their names, say): ties go to the first. */
  order: number;
  weight: number;
  assigned: number;
  /** Open leads they hold now, for `least_loaded`. */
  held: number;
  /** Why they may not have it now (paused, cap, quota, cooldown); null when they may. */
  refusal: string | null;
}

/**
 * How far behind their share a member who was away (paused, at their cap, new) may be made up:
 * they catch up by at most this many leads, not by the whole time they were away.
 */
export const CATCH_UP_LEADS = 2;

export interface Choice {
  chosen: Candidate;
  /** Members further behind than the catch-up allows, with the count they are raised to first. */
  raised: { memberId: string; assigned: number }[];
}

/**
 * Picks who gets the next lead of a system-assigned pool: the eligible member furthest below their
 * share (leads given ÷ weight; in round robin everyone weighs 1, so they take turns), ties to the
 * first in order. A member more than `CATCH_UP_LEADS` behind the front is first raised to that
 * distance, so coming back from a pause brings a couple of extra leads, not a flood. Null when
 * nobody may have it.
 */
export function chooseAssignee(mode: PoolMode, candidates: readonly Candidate[]): Choice | null {
  if (mode === 'least_loaded') return leastLoaded(candidates);
  // A ranking pool's weights are its bands' shares; every other mode takes plain turns.
  const weight = (c: Candidate) => (mode === 'weighted' || mode === 'ranking' ? c.weight : 1);
  const eligible = candidates.filter((c) => c.refusal === null && weight(c) > 0);
  if (eligible.length === 0) return null;
  const front = Math.max(...eligible.map((c) => c.assigned / weight(c)));
  const raised: Choice['raised'] = [];
  const counted = eligible.map((c) => {
    const floor = Math.floor(front * weight(c)) - CATCH_UP_LEADS;
    if (c.assigned >= floor) return c;
    raised.push({ memberId: c.memberId, assigned: floor });
    return { ...c, assigned: floor };
  });
  const load = (c: Candidate) => (c.assigned + 1) / weight(c);
  const chosen = [...counted].sort((a, b) => load(a) - load(b) || a.order - b.order)[0] as Candidate;
  return { chosen, raised };
}

/** The eligible member holding the fewest open leads now (ties: fewest given by the pool, then order). */
function leastLoaded(candidates: readonly Candidate[]): Choice | null {
  const eligible = candidates.filter((c) => c.refusal === null);
  const chosen = [...eligible].sort((a, b) => a.held - b.held || a.assigned - b.assigned || a.order - b.order)[0];
  return chosen ? { chosen, raised: [] } : null;
}
