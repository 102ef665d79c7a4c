import type { LeadTx } from '../leads/lead-store.js';
import { managersByTeam, tellManagers } from '../notifications/tell-managers.js';
import type { SlaTx } from './sla-store.js';

/**
 * DMs the owners of a batch of leads whose reminder time has come, once per deadline: the leads are
 * marked reminded in one statement that skips leads another sweep holds. Returns how many.
 */
export async function remindDueOwners(tx: LeadTx & SlaTx, now: Date, limit: number): Promise<number> {
  const due = await tx.remindDue(now, limit);
  for (const { leadId, ownerId, dueAt } of due)
    await tx.enqueue(
      { kind: 'member.dm', memberId: ownerId, leadId, topic: 'dm.sla_reminder', params: { due: dueAt.toISOString() } },
      now,
    );
  return due.length;
}

/** Warns the owners of a batch of leads that their conversion deadline is near, once per deadline. */
export async function warnConversionDue(tx: LeadTx & SlaTx, now: Date, limit: number): Promise<number> {
  const due = await tx.warnConversionDue(now, limit);
  for (const { leadId, ownerId, dueAt } of due)
    await tx.enqueue(
      {
        kind: 'member.dm',
        memberId: ownerId,
        leadId,
        topic: 'dm.convert_warning',
        params: { due: dueAt.toISOString() },
      },
      now,
    );
  return due.length;
}

/**
 * At a missed follow-up deadline with a grace period: tells the owner when the lead will return to
 * the pool, and the team's managers that it is overdue, once per deadline. Returns how many leads.
 */
export async function escalateOverdue(tx: LeadTx & SlaTx, now: Date, limit: number): Promise<number> {
  const overdue = await tx.escalateOverdue(now, limit);
  if (overdue.length === 0) return 0;
  const owners = await tx.memberNames([...new Set(overdue.map((o) => o.ownerId))]);
  const managers = await managersByTeam(
    tx,
    overdue.map((o) => o.teamId),
  );
  for (const { leadId, teamId, ownerId, reclaimAt } of overdue) {
    const until = reclaimAt.toISOString();
    await tx.enqueue(
      { kind: 'member.dm', memberId: ownerId, leadId, topic: 'dm.sla_overdue_owner', params: { until } },
      now,
    );
    const params = { owner: owners.get(ownerId) ?? '?', until };
    await tellManagers(tx, managers.get(teamId) ?? [], { leadId, topic: 'dm.sla_overdue_manager', params }, now);
  }
  return overdue.length;
}
