import type { TeamDirectory } from '../leads/lead-store.js';
import type { IntakeTx, NewLeadRow } from './intake-store.js';

/**
 * Queues the cards of new pooled leads. A team's channel takes a card per lead until `after` cards
 * came in the current window; the window's further leads are gathered into one summary card, sent
 * when the window ends, so a burst (an import, a campaign going live) reads as a list with a Claim
 * button per lead instead of a flood paced at one post a second. Marks each gathered row with its
 * burst, so it must run before the rows are inserted.
 */
export async function queueNewLeadCards(
  tx: IntakeTx,
  teams: TeamDirectory,
  created: readonly NewLeadRow[],
  now: Date,
): Promise<void> {
  const ownCard = new Set<NewLeadRow>();
  const summaries: { teamId: string; burstId: number; at: Date }[] = [];
  for (const [teamId, rows] of byTeam(created)) {
    const burst = teams.find(teamId)?.cardBurst;
    if (!burst) {
      for (const row of rows) ownCard.add(row);
      continue;
    }
    const windowStart = Math.floor(now.getTime() / burst.withinMs) * burst.withinMs;
    const window = await tx.countCards(teamId, new Date(windowStart), rows.length);
    // A late lead of a window whose summary already went out gets its own card.
    const ownCards = window.sealed ? rows.length : Math.max(0, burst.after - window.before);
    for (const row of rows.slice(0, ownCards)) ownCard.add(row);
    const gathered = rows.slice(ownCards);
    for (const row of gathered) row.cardBurstId = window.burstId;
    // The intake that first goes past `after` queues the summary; the window's later ones join it.
    if (gathered.length > 0 && window.before <= burst.after)
      summaries.push({ teamId, burstId: window.burstId, at: new Date(windowStart + burst.withinMs) });
  }
  // In the order the leads came: the outbox hands out the oldest first, so cards for many teams
  // stay interleaved and every channel's pacing runs side by side.
  for (const row of created) if (ownCard.has(row)) await tx.enqueue({ kind: 'lead.card', leadId: row.id }, now);
  for (const { teamId, burstId, at } of summaries) await tx.enqueue({ kind: 'lead.burst', teamId, burstId }, at);
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
