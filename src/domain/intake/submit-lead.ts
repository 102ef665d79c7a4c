import type { LeadReads } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { DomainError } from '../shared/errors.js';
import { type IntakeDeps, type IntakeOutcome, intakeLeads } from './intake-leads.js';
import type { IntakeStore } from './intake-store.js';
import type { PreparedLead } from './prepare-lead.js';

export interface SubmitLeadDeps extends IntakeDeps {
  store: IntakeStore & LeadReads;
}

export interface SubmitLeadInput {
  lead: PreparedLead;
  actor: Identity;
  /** Identifies the submission (the form's id): a repeat of it is answered, not stored again. */
  submissionKey: string;
}

/**
 * A lead added by a person from a messenger form. Only an active member of the lead's team may
 * add one: a signed request proves who sent it, not that they belong here.
 */
export async function submitLead(deps: SubmitLeadDeps, input: SubmitLeadInput): Promise<IntakeOutcome> {
  const team = requireTeam(deps.teams, input.lead.teamId);
  const members = await deps.store.membershipsOf(input.actor);
  const member = members.find((m) => m.teamId === team.id);
  if (!member) throw new DomainError('member.not_in_team', { team: team.name });
  if (!member.active) throw new DomainError('member.inactive');
  const result = await intakeLeads(deps, [input.lead], 'chat', {
    scope: `form:${input.actor.messenger}`,
    key: input.submissionKey,
    requestHash: input.lead.fingerprint,
    respond: (outcomes) => ({ status: 200, body: outcomes[0] }),
  });
  if (result.kind === 'done') return result.outcomes[0] as IntakeOutcome;
  if (result.kind === 'replay') return result.response.body as IntakeOutcome;
  throw new DomainError('intake.resubmitted');
}
