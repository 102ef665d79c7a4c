import type { LeadTx } from '../leads/lead-store.js';

/** DMs the owner once per deadline, when the reminder time has come and the deadline has not passed. */
export async function remindOwner(tx: LeadTx, leadId: number, now: Date): Promise<boolean> {
  const lead = await tx.findLead(leadId, { forUpdate: true });
  if (!lead?.ownerId || !lead.remindAt || !lead.followUpDueAt || lead.reminderSentAt) return false;
  if (lead.remindAt > now || lead.followUpDueAt <= now) return false;
  const marked = await tx.markReminded(lead.id, lead.ownerId, lead.remindAt, now);
  if (!marked) return false;
  await tx.enqueue(
    {
      kind: 'member.dm',
      memberId: lead.ownerId,
      leadId: lead.id,
      topic: 'dm.sla_reminder',
      params: { due: lead.followUpDueAt.toISOString() },
    },
    now,
  );
  return true;
}
