import { formatLeadRef, type Lead } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { desksChanged } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';

/** The owner's answer about a likely duplicate of their lead. */
export type DuplicateAnswer = 'mine' | 'not_duplicate' | 'release';

export interface AnswerDuplicateDeps {
  store: TxStore<LeadTx>;
  teams: TeamDirectory;
  clock: Clock;
}

export interface AnswerDuplicateInput {
  leadId: number;
  actor: Identity;
  requestId?: string;
  answer: DuplicateAnswer;
}

/**
 * mine: the new lead is attached to the owner's lead. not_duplicate: it is someone else and goes
 * to the pool. release: the owner gives the person up: their lead returns to the pool (no cooldown:
 * it was given, not taken) with the new one attached. Only the current owner may answer, once.
 */
export async function answerDuplicate(
  deps: AnswerDuplicateDeps,
  input: AnswerDuplicateInput,
): Promise<{ lead: Lead; existing: Lead }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await handleOnce(tx, input.requestId, now);
    const lead = await tx.findLead(input.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    if (lead.status !== 'awaiting_owner' || !lead.duplicateOfId) throw new DomainError('duplicate.already_resolved');
    const existing = await tx.findLead(lead.duplicateOfId, { forUpdate: true });
    if (!existing) throw new DomainError('lead.not_found', { lead: lead.duplicateOfId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = await tx.findMemberByIdentity(team.id, input.actor);
    if (!member || existing.ownerId !== member.id)
      throw new DomainError('duplicate.not_owner', { existing: formatLeadRef(existing.id) });

    const pooled = input.answer === 'not_duplicate';
    const settled = await tx.transition({
      leadId: lead.id,
      transition: planMove(lead, { kind: 'settle_duplicate', as: pooled ? 'pooled' : 'merged' }),
      action: `duplicate_${input.answer}`,
      actorId: member.id,
      reason: formatLeadRef(existing.id),
      at: now,
      duplicateOfId: pooled ? null : existing.id,
    });
    if (!settled) throw new DomainError('duplicate.already_resolved');
    if (pooled) await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    if (input.answer === 'release') {
      await tx.transition({
        leadId: existing.id,
        transition: planMove(existing, { kind: 'release' }),
        action: 'released',
        actorId: member.id,
        reason: 'duplicate_release',
        at: now,
      });
      await tx.enqueue({ kind: 'lead.card', leadId: existing.id }, now);
      for (const desk of desksChanged(member.id)) await tx.enqueue(desk, now);
    }
    return { lead, existing };
  });
}
