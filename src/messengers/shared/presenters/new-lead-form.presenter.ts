import type { SourceCatalog } from '../../../domain/intake/sources.js';
import type { Locale, TeamPolicy } from '../../../domain/leads/lead.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
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

/** One input of a form, for any messenger to render. */
export interface FormField<Id extends string = string> {
  /** The field this input fills; also its block id, so errors land next to it. */
  id: Id;
  label: string;
  kind: 'text' | 'long_text' | 'select';
  optional: boolean;
  options?: { value: string; label: string }[];
  initial?: string;
}

export interface NewLeadFormView {
  title: string;
  submit: string;
  close: string;
  fields: FormField<NewLeadFieldId>[];
  /** Set when the person is in exactly one team: no need to ask. */
  team: string | null;
}

/** The "New lead" form, in the person's language, with a team choice only when they have several. */
export function presentNewLeadForm(
  teams: readonly TeamPolicy[],
  sources: SourceCatalog,
  locale: Locale,
): NewLeadFormView {
  const text = (
    id: NewLeadFieldId,
    key: MessageKey,
    optional = true,
    kind: FormField['kind'] = 'text',
  ): FormField<NewLeadFieldId> => ({
    id,
    label: t(locale, key),
    kind,
    optional,
  });
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
    title: t(locale, 'modal.title'),
    submit: t(locale, 'modal.submit'),
    close: t(locale, 'modal.close'),
    fields,
    team: teams.length === 1 ? (teams[0]?.id ?? null) : null,
  };
}
