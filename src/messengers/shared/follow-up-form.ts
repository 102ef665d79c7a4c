import { logFollowUp } from '../../domain/follow-ups/log-follow-up.js';
import {
  FOLLOW_UP_METHODS,
  FOLLOW_UP_OUTCOMES,
  type FollowUpMethod,
  type FollowUpOutcome,
  type Lead,
  type Locale,
} from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { t } from '../../i18n/catalog.js';
import { MAX_NOTE_LENGTH } from './command-parser.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentFollowUpLogged } from './presenters/command-reply.presenter.js';
import { presentError } from './presenters/error.presenter.js';
import { FOLLOW_UP_FIELDS, type FollowUpFieldId } from './presenters/follow-up-form.presenter.js';

export type FollowUpFormValues = Partial<Record<FollowUpFieldId, string>>;

/** A submitted form: the answer to show, or each bad field's problem (nothing was written). */
export type FollowUpFormResult =
  | { ok: true; text: string; lead: Lead }
  | { ok: false; errors: Partial<Record<FollowUpFieldId, string>>; unexpected: boolean };

/** Keeps only the form's own fields, as strings, trimmed; anything else a client sends is dropped. */
export function followUpValues(raw: Record<string, unknown>): FollowUpFormValues {
  const values: FollowUpFormValues = {};
  for (const id of FOLLOW_UP_FIELDS) {
    const value = raw[id];
    if (typeof value === 'string' && value.trim() !== '') values[id] = value.trim();
  }
  return values;
}

/** Checks the form's fields, then logs the follow-up; a domain refusal lands on the field it concerns. */
export async function submitFollowUpForm(
  deps: MessengerDeps,
  input: { leadId: number; actor: Identity; values: FollowUpFormValues; requestId?: string },
  locale: Locale,
): Promise<FollowUpFormResult> {
  const { values } = input;
  const errors: Partial<Record<FollowUpFieldId, string>> = {};
  const method = values.method as FollowUpMethod | undefined;
  if (!method || !FOLLOW_UP_METHODS.includes(method)) errors.method = t(locale, 'follow_up_form.pick_method');
  if (!values.note) errors.note = t(locale, 'follow_up_form.need_note');
  for (const id of ['note', 'step', 'next'] as const) {
    const length = values[id]?.length ?? 0;
    if (length > MAX_NOTE_LENGTH) errors[id] = t(locale, 'cmd.log.note_too_long', { length, max: MAX_NOTE_LENGTH });
  }
  const outcome = values.outcome as FollowUpOutcome | undefined;
  if (outcome && !FOLLOW_UP_OUTCOMES.includes(outcome)) errors.outcome = t(locale, 'follow_up_form.pick_outcome');
  if (Object.keys(errors).length > 0) return { ok: false, errors, unexpected: false };
  try {
    const logged = await logFollowUp(deps, {
      leadId: input.leadId,
      actor: input.actor,
      method: method as FollowUpMethod,
      note: values.note as string,
      ...(values.next ? { next: values.next } : {}),
      ...(outcome ? { outcome } : {}),
      ...(values.step ? { nextStep: values.step } : {}),
      ...(input.requestId ? { requestId: input.requestId } : {}),
    });
    const timeZone = deps.teams.find(logged.lead.teamId)?.timeZone;
    return {
      ok: true,
      text: presentFollowUpLogged(locale, method as FollowUpMethod, logged, timeZone),
      lead: logged.lead,
    };
  } catch (error) {
    const shown = presentError(error, locale);
    const field: FollowUpFieldId = isDomainError(error) && error.code.startsWith('follow_up.next_') ? 'next' : 'method';
    return { ok: false, errors: { [field]: shown.text }, unexpected: !shown.expected };
  }
}
