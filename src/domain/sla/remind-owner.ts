import type { LeadTx } from '../leads/lead-store.js';

/**
 * DMs the owners of a batch of leads whose reminder time has come, once per deadline: the leads are
 * marked reminded in one statement that skips leads another sweep holds. Returns how many.
 */
export async function remindDueOwners(tx: LeadTx, now: Date, limit: number): Promise<number> {
  const due = await tx.remindDue(now, limit);
  for (const { leadId, ownerId, dueAt } of due)
    await tx.enqueue(
      { kind: 'member.dm', memberId: ownerId, leadId, topic: 'dm.sla_reminder', params: { due: dueAt.toISOString() } },
      now,
    );
  return due.length;
}

/** Warns the owners of a batch of leads that their conversion deadline is near, once per deadline. */
export async function warnConversionDue(tx: LeadTx, now: Date, limit: number): Promise<number> {
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
