import { alertRecipients, type Pool, reachOf } from '../distribution/pools.js';
import { pausedAt, type TeamPolicy } from '../leads/lead.js';
import type { TeamDirectory } from '../leads/lead-store.js';
import type { IntakeTx, NewLeadRow } from './intake-store.js';

/**
 * Queues the cards of new pooled leads, as far as each lead's grade reaches in its pool:
 * - an alert grade gets its own card, with the pool's qualified reps named on it, and a DM to each;
 * - a list grade waits for its pool's periodic list (one summary card per `listEvery`);
 * - the rest get a card each until `cardBurst.after` cards came in the current window; the
 *   window's further leads are gathered into one summary card, sent when the window ends, so a
 *   burst (an import, a campaign going live) reads as a list with a Claim button per lead instead
 *   of a flood paced at one post a second.
 * Marks each gathered row with its summary, so it must run before the rows are inserted.
 */
export async function queueNewLeadCards(
  tx: IntakeTx,
  teams: TeamDirectory,
  created: readonly NewLeadRow[],
  now: Date,
): Promise<void> {
  const ownCard = new Set<NewLeadRow>();
  const summaries: { teamId: string; burstId: number; at: Date }[] = [];
  const alerted: NewLeadRow[] = [];
  for (const [teamId, rows] of byTeam(created)) {
    const team = teams.find(teamId);
    const plain: NewLeadRow[] = [];
    for (const [poolId, listed] of byPool(team, rows, plain, alerted)) {
      const pool = team?.pools?.find((p) => p.id === poolId) as Pool;
      const every = pool.reach?.listEveryMs as number;
      const windowStart = Math.floor(now.getTime() / every) * every;
      const summary = await gather(tx, teamId, listed, { windowStart, withinMs: every, after: 0, listPool: poolId });
      for (const row of summary.own) ownCard.add(row);
      if (summary.queue) summaries.push({ teamId, burstId: summary.queue, at: new Date(windowStart + every) });
    }
    for (const row of alerted) if (row.teamId === teamId) ownCard.add(row);
    const burst = team?.cardBurst;
    if (!burst) {
      for (const row of plain) ownCard.add(row);
      continue;
    }
    if (plain.length === 0) continue;
    const windowStart = Math.floor(now.getTime() / burst.withinMs) * burst.withinMs;
    const summary = await gather(tx, teamId, plain, { windowStart, withinMs: burst.withinMs, after: burst.after });
    for (const row of summary.own) ownCard.add(row);
    // The summary goes out once the burst pauses (or its window ends): a lone lead past the
    // threshold waits seconds, not the whole window, and every lead that joins moves it on.
    const at = new Date(Math.min(windowStart + burst.withinMs, now.getTime() + burstLullMs(burst.withinMs)));
    if (summary.queue) summaries.push({ teamId, burstId: summary.queue, at });
    else if (summary.joined) await tx.deferBurst(summary.joined, at);
  }
  // In the order the leads came: the outbox hands out the oldest first, so cards for many teams
  // stay interleaved and every channel's pacing runs side by side.
  for (const row of created) if (ownCard.has(row)) await tx.enqueue({ kind: 'lead.card', leadId: row.id }, now);
  for (const { teamId, burstId, at } of summaries) await tx.enqueue({ kind: 'lead.burst', teamId, burstId }, at);
  await announce(tx, teams, alerted, now);
}

/**
 * Counts `rows` into a summary's window: the first `after` of the window get cards of their own
 * (all of them when the summary already went out), the rest are marked with the summary. Returns
 * the summary to queue when these are the first gathered into it.
 */
async function gather(
  tx: IntakeTx,
  teamId: string,
  rows: readonly NewLeadRow[],
  window: { windowStart: number; withinMs: number; after: number; listPool?: string },
): Promise<{ own: NewLeadRow[]; queue: number | null; joined: number | null }> {
  let counted = await tx.countCards(teamId, new Date(window.windowStart), rows.length, window.listPool);
  let after = window.after;
  // The window's summary already went out (the burst paused): its later leads gather into a next
  // summary of the same window, not a card each. Each is keyed a millisecond past the last.
  for (let next = 1; counted.sealed && next <= MAX_FOLLOW_UPS; next++) {
    counted = await tx.countCards(teamId, new Date(window.windowStart + next), rows.length, window.listPool);
    after = 0;
  }
  const ownCards = counted.sealed ? rows.length : Math.max(0, after - counted.before);
  const gathered = rows.slice(ownCards);
  for (const row of gathered) row.cardBurstId = counted.burstId;
  // The intake that first goes past `after` queues the summary; the window's later ones join it.
  const first = gathered.length > 0 && counted.before <= after;
  return {
    own: rows.slice(0, ownCards),
    queue: first ? counted.burstId : null,
    joined: gathered.length > 0 && !first ? counted.burstId : null,
  };
}

/** Summaries one window may send before the rest of its leads get cards of their own. */
const MAX_FOLLOW_UPS = 20;

/** How long a burst must pause before its summary goes out: 5 s, or a sixth of a shorter window. */
export function burstLullMs(withinMs: number): number {
  return Math.min(5_000, Math.ceil(withinMs / 6));
}

/** Splits a team's rows by reach: list grades by pool (returned), alert grades and plain ones into the arrays. */
function byPool(
  team: TeamPolicy | undefined,
  rows: readonly NewLeadRow[],
  plain: NewLeadRow[],
  alerted: NewLeadRow[],
): Map<string, NewLeadRow[]> {
  const listed = new Map<string, NewLeadRow[]>();
  for (const row of rows) {
    const pool = team?.pools?.find((p) => p.id === row.poolId);
    const reach = reachOf(pool, row.scoring.grade);
    if (reach === 'alert') alerted.push(row);
    else if (reach === 'list' && pool) listed.set(pool.id, [...(listed.get(pool.id) ?? []), row]);
    else plain.push(row);
  }
  return listed;
}

/** A DM to each qualified rep of the pool about each good lead, and who was told, for its card. */
async function announce(tx: IntakeTx, teams: TeamDirectory, rows: readonly NewLeadRow[], now: Date): Promise<void> {
  const alerts: { leadId: number; memberId: string }[] = [];
  for (const [teamId, teamRows] of byTeam(rows)) {
    const team = teams.find(teamId);
    const members = await tx.teamMembers(teamId);
    for (const row of teamRows) {
      const pool = team?.pools?.find((p) => p.id === row.poolId);
      if (!pool) continue;
      const params = { pool: pool.name, grade: row.scoring.grade };
      for (const member of alertRecipients(pool, members, (m) => !pausedAt(m, now))) {
        alerts.push({ leadId: row.id, memberId: member.id });
        await tx.enqueue({ kind: 'member.dm', memberId: member.id, leadId: row.id, topic: 'dm.hot_lead', params }, now);
      }
    }
  }
  if (alerts.length > 0) await tx.recordAlerts(alerts, now);
}

function byTeam(rows: readonly NewLeadRow[]): Map<string, NewLeadRow[]> {
  const teams = new Map<string, NewLeadRow[]>();
  for (const row of rows) {
    const team = teams.get(row.teamId);
    if (team) team.push(row);
    else teams.set(row.teamId, [row]);
  }
  return teams;
}
