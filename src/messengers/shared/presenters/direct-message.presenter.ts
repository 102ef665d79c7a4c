import { formatLeadRef, type Lead, type Member, type TeamPolicy } from '../../../domain/leads/lead.js';
import type { DirectMessageTopic, NotificationParams } from '../../../domain/notifications/notification.js';
import { t } from '../../../i18n/catalog.js';
import { contactLine } from './contact.js';
import { type CardButton, followUpButton } from './lead-card.presenter.js';

/** Text of a DM about a lead, in the recipient's language and the team's time zone. */
export function presentDirectMessage(
  topic: DirectMessageTopic,
  params: NotificationParams,
  lead: Lead,
  recipient: Member,
  team: TeamPolicy,
): string {
  const full = {
    ...params,
    ref: formatLeadRef(lead.id),
    id: lead.id,
    name: lead.name,
    company: lead.company ? ` (${lead.company})` : '',
    // Only the owner is ever sent a claim DM, so the unmasked contact goes to the right person.
    contact: topic === 'dm.claim_won' ? (contactLine(lead, false) ?? t(recipient.locale, 'card.none')) : '',
    due: params.due ?? lead.followUpDueAt?.toISOString() ?? '',
  };
  return t(recipient.locale, topic, full, team.timeZone);
}

const WORK_TOPICS: ReadonlySet<DirectMessageTopic> = new Set([
  'dm.claim_won',
  'dm.sla_reminder',
  'dm.sla_overdue_owner',
  'dm.assigned',
]);

/** DMs that ask the owner to act on a lead carry a "Log follow-up" button while the lead is theirs. */
export function directMessageButton(topic: DirectMessageTopic, lead: Lead, recipient: Member): CardButton | null {
  if (!WORK_TOPICS.has(topic) || lead.status !== 'owned' || lead.ownerId !== recipient.id) return null;
  return followUpButton(lead.id, recipient.locale);
}
