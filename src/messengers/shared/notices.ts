import { type Locale, timeZoneOf } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { DigestSlot, Notification } from '../../domain/notifications/notification.js';
import type { Delivery } from '../../domain/notifications/notification-sink.js';
import { type DigestView, type DigestViewDeps, digestViewFor } from './digest-view.js';
import { type HomeDeps, homeFor } from './home.js';
import { directMessageButtons, presentDirectMessage } from './presenters/direct-message.presenter.js';
import { type DuplicateQuestionView, presentDuplicateQuestion } from './presenters/duplicate-question.presenter.js';
import type { HomeView } from './presenters/home.presenter.js';
import type { CardButton } from './presenters/lead-card.presenter.js';

/**
 * Who gets what for every notice to a person or a managers' chat, decided once for all messengers:
 * each notifier only draws the message and sends it. (Lead cards and burst summaries are posts a
 * notifier keeps in step with the lead; they share `cardFor`, not this.)
 */

/**
 * A person by their id on this messenger, or a chat (a team's managers' channel) by its id, and the
 * workspace (or app) the id is in: '' when the teams file names none.
 */
export type Recipient = { kind: 'person' | 'chat'; id: string; tenant: string };

export type NoticeMessage =
  | { kind: 'text'; text: string; buttons: CardButton[] }
  | { kind: 'duplicate_question'; view: DuplicateQuestionView }
  | { kind: 'digest'; digest: DigestView; locale: Locale; teamId: string }
  /** The person's desk, on a messenger that keeps one (Slack's App Home). */
  | { kind: 'desk'; view: HomeView };

export interface Notice {
  to: Recipient;
  message: NoticeMessage;
}

export interface NoticeDeps extends HomeDeps, DigestViewDeps {
  teams: TeamDirectory;
  leads: LeadReadModel;
}

/** What a messenger can show: its name (for addresses and digest channels) and whether it has a desk. */
export interface NoticeMedium {
  messenger: string;
  hasDesk: boolean;
}

/**
 * The notice to send for a queued notification on one messenger, read as things are now; null
 * when there is nothing to send there (the person has no address on it, the question was answered
 * meanwhile, the team's digest goes to its channel instead, a newer desk update is queued).
 */
export async function resolveNotice(
  deps: NoticeDeps,
  notification: Notification,
  medium: NoticeMedium,
  delivery: Pick<Delivery, 'superseded'>,
): Promise<Notice | null> {
  switch (notification.kind) {
    case 'member.dm':
      return directMessage(deps, notification, medium);
    case 'duplicate.ask':
      return duplicateQuestion(deps, notification, medium);
    case 'member.digest':
      return memberDigest(deps, notification, medium);
    case 'team.digest':
      return teamDigest(deps, notification, medium);
    case 'member.desk':
      // A later desk message for the same person is waiting: it will show the newer state.
      return medium.hasDesk && !delivery.superseded ? desk(deps, notification.memberId, medium) : null;
    default:
      return null;
  }
}

async function addressed(deps: NoticeDeps, memberId: string, { messenger }: NoticeMedium) {
  const [member, address] = await Promise.all([
    deps.leads.member(memberId),
    deps.leads.identityOf(memberId, messenger),
  ]);
  return member && address
    ? { member, address, to: { kind: 'person', id: address.externalId, tenant: address.tenant } as const }
    : null;
}

async function directMessage(
  deps: NoticeDeps,
  notification: Extract<Notification, { kind: 'member.dm' }>,
  medium: NoticeMedium,
): Promise<Notice | null> {
  const [person, lead] = await Promise.all([
    addressed(deps, notification.memberId, medium),
    deps.leads.lead(notification.leadId),
  ]);
  const team = lead && deps.teams.find(lead.teamId);
  if (!person || !lead || !team) return null;
  const text = presentDirectMessage(notification.topic, notification.params, lead, person.member, team);
  const buttons = directMessageButtons(notification.topic, lead, person.member, team);
  return { to: person.to, message: { kind: 'text', text, buttons } };
}

async function duplicateQuestion(
  deps: NoticeDeps,
  notification: Extract<Notification, { kind: 'duplicate.ask' }>,
  medium: NoticeMedium,
): Promise<Notice | null> {
  const [owner, incoming, existing] = await Promise.all([
    addressed(deps, notification.memberId, medium),
    deps.leads.lead(notification.leadId),
    deps.leads.lead(notification.existingLeadId),
  ]);
  const team = incoming && deps.teams.find(incoming.teamId);
  // Answered or timed out before delivery: the question is moot.
  if (!owner || !incoming || !existing || !team || incoming.status !== 'awaiting_owner') return null;
  const view = presentDuplicateQuestion(incoming, existing, owner.member, team, notification.on);
  return { to: owner.to, message: { kind: 'duplicate_question', view } };
}

async function digestTo(deps: NoticeDeps, to: Recipient, slot: DigestSlot, locale: Locale): Promise<Notice | null> {
  const digest = await digestViewFor(deps, slot, locale);
  return digest ? { to, message: { kind: 'digest', digest, locale, teamId: slot.teamId } } : null;
}

/** A manager's digest, unless the team's managers' channel on this messenger gets it instead. */
async function memberDigest(
  deps: NoticeDeps,
  notification: Extract<Notification, { kind: 'member.digest' }>,
  medium: NoticeMedium,
): Promise<Notice | null> {
  if (deps.teams.find(notification.teamId)?.digest?.channels[medium.messenger]) return null;
  const person = await addressed(deps, notification.memberId, medium);
  return person ? digestTo(deps, person.to, notification, person.member.locale) : null;
}

async function teamDigest(
  deps: NoticeDeps,
  notification: Extract<Notification, { kind: 'team.digest' }>,
  medium: NoticeMedium,
): Promise<Notice | null> {
  const team = deps.teams.find(notification.teamId);
  const chat = team?.digest?.channels[medium.messenger];
  return team && chat
    ? digestTo(
        deps,
        { kind: 'chat', id: chat, tenant: team.tenants?.[medium.messenger] ?? '' },
        notification,
        team.locale,
      )
    : null;
}

/** The member's desk as it is now, in their language and zone. */
async function desk(deps: NoticeDeps, memberId: string, medium: NoticeMedium): Promise<Notice | null> {
  const person = await addressed(deps, memberId, medium);
  if (!person) return null;
  const team = deps.teams.find(person.member.teamId);
  const zone = team ? timeZoneOf(person.member, team) : (person.member.timeZone ?? 'UTC');
  const view = await homeFor(deps, person.address, person.member.locale, zone);
  return { to: person.to, message: { kind: 'desk', view } };
}
