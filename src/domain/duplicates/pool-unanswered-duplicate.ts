import { formatLeadRef } from '../leads/lead.js';
import type { LeadTx } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';

/**
 * The owner did not answer in time: the lead goes to the pool as its own lead, keeping the link to
 * the lead it resembles (shown on its card as a note), and the owner is told.
 */
export async function poolUnansweredDuplicate(tx: LeadTx, leadId: number, now: Date): Promise<boolean> {
  const lead = await tx.findLead(leadId, { forUpdate: true });
  if (lead?.status !== 'awaiting_owner' || !lead.duplicateOfId || !lead.duplicateDueAt || lead.duplicateDueAt > now)
    return false;
  const existing = await tx.findLead(lead.duplicateOfId);
  const settled = await tx.transition({
    leadId: lead.id,
    transition: planMove(lead, { kind: 'settle_duplicate', as: 'pooled' }),
    action: 'duplicate_unanswered',
    actorId: null,
    reason: formatLeadRef(lead.duplicateOfId),
    at: now,
    duplicateOfId: lead.duplicateOfId,
  });
  if (!settled) return false;
  await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
  if (existing?.ownerId) {
    await tx.enqueue(
      {
        kind: 'member.dm',
        memberId: existing.ownerId,
        leadId: lead.id,
        topic: 'dm.duplicate_pooled',
        params: { existing: formatLeadRef(existing.id) },
      },
      now,
    );
  }
  return true;
}
