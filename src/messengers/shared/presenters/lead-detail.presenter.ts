import type { Locale, TeamPolicy } from '../../../domain/leads/lead.js';
import type { HistoryEntry } from '../../../domain/leads/lead-read-model.js';
import type { LeadDetail } from '../../../domain/leads/show-lead.js';
import { catalogs, hasMessage, type MessageKey, t } from '../../../i18n/catalog.js';
import { contactLine } from './contact.js';
import { presentLeadCard } from './lead-card.presenter.js';

/** `/lead show`: the card's facts, contact details for those allowed, then follow-ups and history. */
export function presentLeadDetail(detail: LeadDetail, team: TeamPolicy, locale: Locale, tz: string): string {
  const card = presentLeadCard(detail, team);
  const contactLabel = t(locale, 'card.field.contact');
  const contact = contactLine(detail.lead, false, locale);
  const fields = card.fields.map((f) =>
    f.label === contactLabel && detail.contactVisible && contact ? { ...f, value: contact } : f,
  );
  const followUps =
    detail.followUps.length === 0
      ? [t(locale, 'show.no_follow_ups')]
      : [
          t(locale, 'show.follow_ups', { count: detail.followUps.length }),
          ...detail.followUps.map(
            (f) =>
              t(locale, 'show.follow_up_line', { dueAt: f.at, by: f.by, method: f.method, note: f.note }, tz) +
              (f.outcome ? t(locale, 'show.follow_up_outcome', { outcome: t(locale, outcomeKey(f.outcome)) }) : '') +
              (f.nextStep ? t(locale, 'show.follow_up_step', { step: f.nextStep }) : '') +
              (f.nextContactAt ? t(locale, 'show.follow_up_next', { dueNext: f.nextContactAt }, tz) : ''),
          ),
        ];
  return [
    card.title,
    card.status,
    ...fields.map((f) => `${f.label}: ${f.value}`),
    card.score.summary,
    ...(card.score.why ? [card.score.why] : []),
    ...card.notes,
    '',
    ...followUps,
    '',
    t(locale, 'show.history'),
    ...detail.events.map((e) => historyLine(e, locale, tz)),
  ].join('\n');
}

function historyLine(entry: HistoryEntry, locale: Locale, timeZone: string): string {
  const key = `history.${entry.action}`;
  const action = key in catalogs.en ? t(locale, key as MessageKey) : entry.action;
  const by = entry.by ? t(locale, 'show.by', { name: entry.by }) : '';
  return t(locale, 'show.history_line', { dueAt: entry.at, action: `${action}${by}` }, timeZone);
}

/** A stored outcome's catalog key; one written by a newer build shows as "other". */
function outcomeKey(outcome: string): MessageKey {
  const key = `outcome.${outcome}`;
  return hasMessage(key) ? key : 'outcome.other';
}
