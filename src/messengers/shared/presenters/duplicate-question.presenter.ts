import { formatLeadRef, type Lead, type Member, type TeamPolicy } from '../../../domain/leads/lead.js';
import type { MatchKeyKind } from '../../../domain/notifications/notification.js';
import { t } from '../../../i18n/catalog.js';
import { ACTION_IDS } from '../action-ids.js';
import { contactLine } from './contact.js';

export interface DuplicateQuestionView {
  title: string;
  text: string;
  buttons: { actionId: string; value: string; label: string; style?: 'primary' | 'danger' }[];
}

/**
 * The question to the owner of `existing` about the new lead `incoming`. The owner already has
 * this person's contact details, so the new ones are shown unmasked to help them decide.
 */
export function presentDuplicateQuestion(
  incoming: Lead,
  existing: Lead,
  owner: Member,
  team: TeamPolicy,
  /** The key the new lead shared with yours, when the question says. */
  on?: MatchKeyKind,
): DuplicateQuestionView {
  const locale = owner.locale;
  const contact = contactLine(incoming, false, locale);
  const text = t(
    locale,
    'dup.ask',
    {
      existing: formatLeadRef(existing.id),
      existingName: existing.name,
      ref: formatLeadRef(incoming.id),
      name: incoming.name,
      company: incoming.company ? ` (${incoming.company})` : '',
      contact: contact ? ` · ${contact}` : '',
      due: incoming.duplicateDueAt ?? '',
    },
    team.timeZone,
  );
  const why = on ? ` ${t(locale, 'dup.matched_on', { on: t(locale, `match.on.${on}`) })}` : '';
  const value = String(incoming.id);
  return {
    title: t(locale, 'dup.title'),
    text: `${text}${why}`,
    buttons: [
      { actionId: ACTION_IDS.duplicateMine, value, label: t(locale, 'dup.mine'), style: 'primary' },
      { actionId: ACTION_IDS.duplicateNotDuplicate, value, label: t(locale, 'dup.not_duplicate') },
      { actionId: ACTION_IDS.duplicateRelease, value, label: t(locale, 'dup.release'), style: 'danger' },
    ],
  };
}
