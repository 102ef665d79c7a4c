import type { LeadTx, TeamDirectory } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { requireTeam } from '../leads/team-policy.js';
import { desksChanged } from '../notifications/notification.js';

/**
 * Returns a lead whose follow-up deadline passed to the team pool, bars the old owner from
 * re-claiming it for the team's cooldown, and tells the owner, the managers and the channel.
 */
export async function reclaimBreachedLead(
  tx: LeadTx,
  teams: TeamDirectory,
  leadId: number,
  now: Date,
): Promise<boolean> {
  const lead = await tx.findLead(leadId, { forUpdate: true });
  if (lead?.status !== 'owned' || !lead.ownerId || !lead.followUpDueAt || lead.followUpDueAt > now) return false;
  const team = requireTeam(teams, lead.teamId);
  const ownerId = lead.ownerId;
  const reclaimed = await tx.transition({
    leadId: lead.id,
    transition: planMove(lead, { kind: 'reclaim' }),
    action: 'reclaimed',
    actorId: null,
    reason: 'follow_up_sla_breached',
    at: now,
  });
  if (!reclaimed) return false;
  const until = new Date(now.getTime() + team.cooldownMs);
  await tx.banFromClaiming(lead.id, ownerId, until);
  await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
  for (const desk of desksChanged(ownerId)) await tx.enqueue(desk, now);
  await tx.enqueue(
    {
      kind: 'member.dm',
      memberId: ownerId,
      leadId: lead.id,
      topic: 'dm.sla_reclaimed_owner',
      params: { until: until.toISOString() },
    },
    now,
  );
  const owner = await tx.findMember(ownerId);
  for (const manager of await tx.managersOf(team.id)) {
    await tx.enqueue(
      {
        kind: 'member.dm',
        memberId: manager.id,
        leadId: lead.id,
        topic: 'dm.sla_reclaimed_manager',
        params: { owner: owner?.displayName ?? '?' },
      },
      now,
    );
  }
  return true;
}
