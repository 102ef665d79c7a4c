import {
  formatLeadRef,
  type Lead,
  type Locale,
  type Member,
  type TeamPolicy,
  timeZoneOf,
} from '../../../domain/leads/lead.js';
import type { DirectMessageTopic, NotificationParams } from '../../../domain/notifications/notification.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
import { ACTION_IDS } from '../action-ids.js';
import { contactLine } from './contact.js';
import { type CardButton, followUpButton } from './lead-card.presenter.js';

/** Text of a DM about a lead, in the recipient's language and time zone. */
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
    // Unmasked contact details go only to the lead's owner, read when the DM is rendered: a lead
    // reassigned before its DM went out does not show them to the former assignee.
    contact: OWNER_CONTACT_TOPICS.has(topic) ? ownerContact(lead, recipient) : '',
    due: params.due ?? lead.followUpDueAt?.toISOString() ?? '',
    grade: t(recipient.locale, `grade.${lead.grade}` as MessageKey),
    // Why a pool gave it, in its mode's words (a DM queued before modes were named: a turn).
    turn: t(recipient.locale, `pool.turn.${poolMode(params.mode)}` as MessageKey),
  };
  return t(recipient.locale, topic, full, timeZoneOf(recipient, team));
}

function ownerContact(lead: Lead, recipient: Member): string {
  if (lead.ownerId !== recipient.id) return t(recipient.locale, 'dm.contact_on_card');
  return contactLine(lead, false, recipient.locale) ?? t(recipient.locale, 'card.none');
}

const OWNER_CONTACT_TOPICS: ReadonlySet<DirectMessageTopic> = new Set([
  'dm.claim_won',
  'dm.pool_assigned',
  'dm.assigned',
]);

const WORK_TOPICS: ReadonlySet<DirectMessageTopic> = new Set([
  'dm.claim_won',
  'dm.pool_assigned',
  'dm.sla_reminder',
  'dm.sla_overdue_owner',
  'dm.assigned',
]);

const DEADLINE_TOPICS: ReadonlySet<DirectMessageTopic> = new Set(['dm.sla_reminder', 'dm.sla_overdue_owner']);

/**
 * The buttons of a DM: one that asks the owner to act on their lead carries "Log follow-up" while
 * the lead is theirs (a deadline reminder also "Ask for more time", where the team allows it, and
 * "Release"); a request for more time carries Approve and Deny for the manager.
 */
export function directMessageButtons(
  topic: DirectMessageTopic,
  lead: Lead,
  recipient: Member,
  team?: TeamPolicy,
): CardButton[] {
  if (topic === 'dm.extension_requested' && lead.status === 'owned')
    return [
      {
        actionId: ACTION_IDS.approveExtension,
        value: String(lead.id),
        label: t(recipient.locale, 'extension.approve'),
      },
      { actionId: ACTION_IDS.denyExtension, value: String(lead.id), label: t(recipient.locale, 'extension.deny') },
    ];
  // A good lead announced to the qualified reps: claimable from the DM while nobody has it.
  if (topic === 'dm.hot_lead')
    return lead.status === 'pooled'
      ? [{ actionId: ACTION_IDS.claimLead, value: String(lead.id), label: t(recipient.locale, 'card.claim_button') }]
      : [];
  if (!WORK_TOPICS.has(topic) || lead.status !== 'owned' || lead.ownerId !== recipient.id) return [];
  // A reminder also offers to give the lead back, with a reason, rather than let it lapse.
  if (!DEADLINE_TOPICS.has(topic)) return [followUpButton(lead.id, recipient.locale)];
  const button = (actionId: string, label: string) => ({ actionId, value: String(lead.id), label });
  return [
    followUpButton(lead.id, recipient.locale),
    ...(team?.extension ? [button(ACTION_IDS.openExtension, t(recipient.locale, 'extension_form.title'))] : []),
    button(ACTION_IDS.openRelease, t(recipient.locale, 'home.release')),
  ];
}

/** What a manager's answer to a request for more time did, as the reply to them. */
export function presentExtensionAnswered(
  answered: { lead: Lead; dueAt: Date | null },
  locale: Locale,
  timeZone: string,
): string {
  const lead = formatLeadRef(answered.lead.id);
  if (!answered.dueAt) return t(locale, 'extension.denied', { lead });
  return t(locale, 'extension.approved', { lead, due: answered.dueAt }, timeZone);
}

const POOL_TURNS = new Set(['round_robin', 'weighted', 'least_loaded', 'score_tier', 'ranking', 'claim']);
const poolMode = (mode: unknown) => (typeof mode === 'string' && POOL_TURNS.has(mode) ? mode : 'round_robin');
