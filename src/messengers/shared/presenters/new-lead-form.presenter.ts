import type { SourceCatalog } from '../../../domain/intake/sources.js';
import type { Locale, TeamPolicy } from '../../../domain/leads/lead.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
import { FORM_ACTIONS, VIEW_IDS } from '../action-ids.js';
import type { FormField, FormView } from '../interaction.js';
import { sourceLabel } from './source-label.js';

export type NewLeadFieldId =
  | 'team'
  | 'name'
  | 'company'
  | 'title'
  | 'email'
  | 'phone'
  | 'region'
  | 'need'
  | 'source'
  | 'notes';

/**
 * The "New lead" form, in the person's language, with a team choice only when they have several
 * (one team is carried by the form). A refused submission comes back with what was typed and the problems.
 */
export function presentNewLeadForm(
  teams: readonly TeamPolicy[],
  sources: SourceCatalog,
  locale: Locale,
  typed: Record<string, unknown> = {},
  errors: Record<string, string> = {},
): FormView {
  const text = (
    id: NewLeadFieldId,
    key: MessageKey,
    optional = true,
    kind: FormField['kind'] = 'text',
  ): FormField<NewLeadFieldId> => {
    const initial = typed[id];
    return {
      id,
      label: t(locale, key),
      kind,
      optional,
      ...(typeof initial === 'string' && initial ? { initial } : {}),
    };
  };
  const fields: FormField<NewLeadFieldId>[] = [];
  if (teams.length > 1)
    fields.push({
      ...text('team', 'modal.team', false, 'select'),
      options: teams.map((team) => ({ value: team.id, label: team.name })),
    });
  fields.push(
    text('name', 'modal.name', false),
    text('company', 'modal.company'),
    text('title', 'modal.job_title'),
    text('phone', 'modal.phone'),
    text('email', 'modal.email'),
    text('region', 'modal.region'),
    text('need', 'modal.need', true, 'long_text'),
    {
      ...text('source', 'modal.source', true, 'select'),
      options: sources.all().map((s) => ({ value: s.id, label: sourceLabel(s.id, s.label, locale) })),
    },
    text('notes', 'modal.notes', true, 'long_text'),
  );
  return {
    submitId: FORM_ACTIONS.newLeadSubmit,
    slackView: VIEW_IDS.newLeadModal,
    title: t(locale, 'modal.title'),
    about: null,
    submit: t(locale, 'modal.submit'),
    close: t(locale, 'modal.close'),
    fields,
    errors,
    carries: { team: teams.length === 1 ? (teams[0]?.id ?? null) : null },
  };
}
