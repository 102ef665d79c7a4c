import {
  FOLLOW_UP_METHODS,
  FOLLOW_UP_OUTCOMES,
  formatLeadRef,
  type Lead,
  type Locale,
} from '../../../domain/leads/lead.js';
import { t } from '../../../i18n/catalog.js';
import { FORM_ACTIONS, VIEW_IDS } from '../action-ids.js';
import type { FormField, FormView } from '../interaction.js';

export const FOLLOW_UP_FIELDS = ['method', 'note', 'outcome', 'step', 'next'] as const;
export type FollowUpFieldId = (typeof FOLLOW_UP_FIELDS)[number];

/** The "Log follow-up" form of one lead, with what was typed kept and each field's problem, if any. */
export function presentFollowUpForm(
  lead: Pick<Lead, 'id' | 'name' | 'company'>,
  locale: Locale,
  typed: Partial<Record<FollowUpFieldId, string>> = {},
  errors: Partial<Record<FollowUpFieldId, string>> = {},
): FormView {
  const field = (
    id: FollowUpFieldId,
    kind: FormField['kind'],
    optional: boolean,
    options?: { value: string; label: string }[],
  ): FormField<FollowUpFieldId> => ({
    id,
    label: t(locale, `follow_up_form.${id}`),
    kind,
    optional,
    ...(options ? { options } : {}),
    ...(typed[id] ? { initial: typed[id] } : {}),
  });
  return {
    title: t(locale, 'follow_up_form.title'),
    about: `${formatLeadRef(lead.id)} ${lead.name}${lead.company ? ` (${lead.company})` : ''}`,
    submitId: FORM_ACTIONS.followUpSubmit,
    slackView: VIEW_IDS.followUpModal,
    submit: t(locale, 'follow_up_form.submit'),
    close: t(locale, 'modal.close'),
    carries: { lead: lead.id },
    fields: [
      field(
        'method',
        'select',
        false,
        FOLLOW_UP_METHODS.map((m) => ({ value: m, label: t(locale, `method.${m}`) })),
      ),
      field('note', 'long_text', false),
      field(
        'outcome',
        'select',
        true,
        FOLLOW_UP_OUTCOMES.map((o) => ({ value: o, label: t(locale, `outcome.${o}`) })),
      ),
      field('step', 'text', true),
      field('next', 'text', true),
    ],
    errors: errors as Record<string, string>,
  };
}
