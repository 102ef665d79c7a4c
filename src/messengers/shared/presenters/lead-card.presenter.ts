import { formatLeadRef, type TeamPolicy } from '../../../domain/leads/lead.js';
import { ACTION_IDS } from '../action-ids.js';
import { type MessageKey, t } from '../i18n/catalog.js';
import type { LeadCardData } from '../ports.js';
import { contactLine } from './contact.js';

/** A messenger-neutral lead card; Slack blocks and Lark cards are rendered from it. */
export interface LeadCardView {
  fallbackText: string;
  title: string;
  fields: { label: string; value: string }[];
  status: string;
  claim: { actionId: string; value: string; label: string } | null;
}

const FIELD_KEYS = [
  ['company', 'card.field.company'],
  ['title', 'card.field.title'],
  ['region', 'card.field.region'],
  ['industry', 'card.field.industry'],
  ['source', 'card.field.source'],
  ['need', 'card.field.need'],
] as const satisfies readonly (readonly [string, MessageKey])[];

export function presentLeadCard(data: LeadCardData, team: TeamPolicy): LeadCardView {
  const { lead, owner, returnedFrom } = data;
  const locale = team.locale;
  const ref = formatLeadRef(lead.id);
  const title = t(locale, 'card.title', { ref, name: lead.name });
  const fields = FIELD_KEYS.flatMap(([field, key]) => {
    const value = lead[field];
    return value ? [{ label: t(locale, key), value }] : [];
  });
  // Contact details stay masked on the shared card; the owner gets them in a DM.
  const contact = contactLine(lead, true);
  if (contact)
    fields.push({ label: t(locale, 'card.field.contact'), value: t(locale, 'card.contact_masked', { contact }) });

  const pooled = lead.status === 'pooled';
  const status = pooled
    ? returnedFrom
      ? `${t(locale, 'card.status.returned', { owner: returnedFrom.displayName })} ${t(locale, 'card.status.pooled')}`
      : t(locale, 'card.status.pooled')
    : t(
        locale,
        'card.status.owned',
        { owner: owner?.displayName ?? '?', due: lead.followUpDueAt ?? '' },
        team.timeZone,
      );
  return {
    fallbackText: `${title} · ${status}`,
    title,
    fields,
    status,
    claim: pooled
      ? { actionId: ACTION_IDS.claimLead, value: String(lead.id), label: t(locale, 'card.claim_button') }
      : null,
  };
}
