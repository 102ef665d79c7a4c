import type { PreparedLead } from '../../domain/intake/prepare-lead.js';
import { submitLead } from '../../domain/intake/submit-lead.js';
import type { Locale } from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentIntakeResult } from './presenters/command-reply.presenter.js';

/**
 * Adds a lead from a messenger form and says what became of it, in the sender's language.
 * `submissionKey` names the form (a Slack view, a Lark card): a repeat of it replays the answer.
 */
export async function submitFormLead(
  deps: MessengerDeps,
  input: { lead: PreparedLead; actor: Identity; submissionKey: string },
  locale: Locale,
): Promise<string> {
  const outcome = await submitLead(deps, input);
  const { teamId, scoring } = input.lead;
  // The owner's name is the one fact about the outcome the submission does not carry.
  const owner =
    outcome.kind === 'awaiting_owner' ? await deps.store.transaction((tx) => tx.findMember(outcome.ownerId)) : null;
  return presentIntakeResult(locale, outcome, {
    teamName: deps.teams.find(teamId)?.name ?? teamId,
    score: scoring.score,
    priority: scoring.priority,
    ownerName: owner?.displayName ?? null,
  });
}
