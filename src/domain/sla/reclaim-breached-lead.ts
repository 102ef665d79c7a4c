import type { LeadTx, TeamDirectory } from '../leads/lead-store.js';
import { desksChanged } from '../notifications/notification.js';
import { managersByTeam, tellManagers } from '../notifications/tell-managers.js';
import type { SlaTx } from './sla-store.js';

/**
 * Returns a batch of leads whose follow-up (or conversion) deadline passed to their team pools
 * (the reclaim move, applied set-based), bars each old owner from re-claiming it for the team's
 * cooldown, and tells the owner, the team's managers and the channel. Returns how many.
 */
export async function reclaimBreachedLeads(
  tx: LeadTx & SlaTx,
  teams: TeamDirectory,
  now: Date,
  limit: number,
  deadline: 'follow_up' | 'conversion' = 'follow_up',
): Promise<number> {
  const cooldownMs = Object.fromEntries(teams.all().map((t) => [t.id, t.cooldownMs]));
  const reclaimed = await tx.reclaimBreached(now, limit, cooldownMs, deadline);
  const topics =
    deadline === 'conversion'
      ? ({ owner: 'dm.convert_reclaimed_owner', manager: 'dm.convert_reclaimed_manager' } as const)
      : ({ owner: 'dm.sla_reclaimed_owner', manager: 'dm.sla_reclaimed_manager' } as const);
  if (reclaimed.length === 0) return 0;
  const owners = await tx.memberNames([...new Set(reclaimed.map((r) => r.ownerId))]);
  const managers = await managersByTeam(
    tx,
    reclaimed.map((r) => r.teamId),
  );
  for (const { leadId, teamId, ownerId, until } of reclaimed) {
    await tx.enqueue({ kind: 'lead.card', leadId }, now);
    for (const desk of desksChanged(ownerId)) await tx.enqueue(desk, now);
    await tx.enqueue(
      {
        kind: 'member.dm',
        memberId: ownerId,
        leadId,
        topic: topics.owner,
        params: { until: until.toISOString() },
      },
      now,
    );
    const params = { owner: owners.get(ownerId) ?? '?' };
    await tellManagers(tx, managers.get(teamId) ?? [], { leadId, topic: topics.manager, params }, now);
  }
  return reclaimed.length;
}
