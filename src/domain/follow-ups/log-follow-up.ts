import type { FollowUpMethod, Lead } from '../leads/lead.js';
import type { LeadStore, TeamDirectory } from '../leads/lead-store.js';
import { followUpWindow, requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';

export interface LogFollowUpDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
}

export interface LogFollowUpInput {
  leadId: number;
  actor: Identity;
  requestId?: string;
  method: FollowUpMethod;
  note: string;
}

/** Records a follow-up by the lead's owner and restarts the follow-up deadline. */
export async function logFollowUp(
  deps: LogFollowUpDeps,
  input: LogFollowUpInput,
): Promise<{ lead: Lead; dueAt: Date }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await handleOnce(tx, input.requestId, now);
    const lead = await tx.findLead(input.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = await tx.findMemberByIdentity(team.id, input.actor);
    if (!member) throw new DomainError('member.not_in_team', { team: team.name });
    if (!lead.ownerId) throw new DomainError('follow_up.lead_not_owned', { lead: lead.id });
    if (lead.ownerId !== member.id) throw new DomainError('follow_up.not_owner', { lead: lead.id });

    const { dueAt, remindAt } = followUpWindow(team, now);
    const stage = lead.stage === 'new' ? 'contacted' : lead.stage;
    await tx.recordFollowUp({
      leadId: lead.id,
      memberId: member.id,
      method: input.method,
      note: input.note,
      at: now,
      followUpDueAt: dueAt,
      remindAt,
      stage,
    });
    return { lead: { ...lead, stage, followUpDueAt: dueAt, remindAt, reminderSentAt: null }, dueAt };
  });
}
