import { answerDuplicate, type DuplicateAnswer } from '../../domain/duplicates/answer-duplicate.js';
import type { Locale } from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { answerExtension } from '../../domain/sla/extensions.js';
import { errorFields } from '../../infra/logger.js';
import { ACTION_IDS } from './action-ids.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentDuplicateAnswered } from './presenters/command-reply.presenter.js';
import { presentExtensionAnswered } from './presenters/direct-message.presenter.js';
import { presentError } from './presenters/error.presenter.js';

/**
 * The buttons that answer a question about a lead in a DM (is this new lead yours? may the owner
 * have more time?), each defined once for every messenger: the use case it runs and the answer it
 * gives. A messenger replaces the question with the answer, or tells the person why not.
 */
export interface LeadAnswer {
  actionId: string;
  /** Names the answer in a log line when it fails unexpectedly. */
  what: string;
  run(deps: MessengerDeps, input: LeadAnswerInput, reader: Reader): Promise<string>;
}

export interface LeadAnswerInput {
  leadId: number;
  actor: Identity;
  /** Makes a redelivered click change nothing (Lark redelivers a click it did not hear back about). */
  requestId?: string;
}

interface Reader {
  locale: Locale;
  timeZone: string;
}

const duplicate = (actionId: string, answer: DuplicateAnswer): LeadAnswer => ({
  actionId,
  what: 'duplicate answer',
  run: async (deps, input, { locale }) => {
    const { lead, existing } = await answerDuplicate(deps, { ...input, answer });
    return presentDuplicateAnswered(locale, answer, lead, existing);
  },
});

const extension = (actionId: string, approve: boolean): LeadAnswer => ({
  actionId,
  what: 'extension answer',
  run: async (deps, { leadId, actor }, { locale, timeZone }) =>
    presentExtensionAnswered(await answerExtension(deps, { leadId, actor, approve }), locale, timeZone),
});

export const LEAD_ANSWERS: readonly LeadAnswer[] = [
  duplicate(ACTION_IDS.duplicateMine, 'mine'),
  duplicate(ACTION_IDS.duplicateNotDuplicate, 'not_duplicate'),
  duplicate(ACTION_IDS.duplicateRelease, 'release'),
  extension(ACTION_IDS.approveExtension, true),
  extension(ACTION_IDS.denyExtension, false),
];

/** The answer's text, or the refusal's (expected: not yours, already answered; else logged). */
export async function answerLeadButton(
  deps: MessengerDeps,
  answer: LeadAnswer,
  input: LeadAnswerInput,
  reader: Reader,
): Promise<{ ok: boolean; text: string; expected: boolean }> {
  try {
    return { ok: true, text: await answer.run(deps, input, reader), expected: true };
  } catch (error) {
    const shown = presentError(error, reader.locale, reader.timeZone);
    if (!shown.expected) deps.log.error(`${answer.what} failed`, { leadId: input.leadId, ...errorFields(error) });
    return { ok: false, text: shown.text, expected: shown.expected };
  }
}
