import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ClaimLatch } from '../../domain/claims/claim-latch.js';
import { claimLead } from '../../domain/claims/claim-lead.js';
import { answerDuplicate, type DuplicateAnswer } from '../../domain/duplicates/answer-duplicate.js';
import { logFollowUp } from '../../domain/follow-ups/log-follow-up.js';
import type { IntakeOutcome } from '../../domain/intake/intake-leads.js';
import type { IntakeStore } from '../../domain/intake/intake-store.js';
import type { SourceCatalog } from '../../domain/intake/sources.js';
import { submitLead } from '../../domain/intake/submit-lead.js';
import { validateLead } from '../../domain/intake/validate-lead.js';
import { formatLeadRef, type Locale } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { LeadStore, TeamDirectory } from '../../domain/leads/lead-store.js';
import { listMyLeads } from '../../domain/leads/list-my-leads.js';
import type { Identity } from '../../domain/members/identity.js';
import type { Clock } from '../../domain/shared/clock.js';
import { t } from '../../i18n/catalog.js';
import { presentFieldProblems } from '../../i18n/field-problems.js';
import { errorFields, type Logger } from '../../infra/logger.js';
import { ACTION_IDS, BOT_MENU, FORM_ACTIONS, leadIdValue } from '../shared/action-ids.js';
import { type LeadCommand, parseLeadCommand } from '../shared/command-parser.js';
import type { MemberDirectory } from '../shared/member-directory.js';
import {
  presentDuplicateAnswered,
  presentFollowUpLogged,
  presentIntakeResult,
  presentInvalidCommand,
  presentMyLeads,
  presentUsage,
} from '../shared/presenters/command-reply.presenter.js';
import { presentError } from '../shared/presenters/error.presenter.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { presentNewLeadForm } from '../shared/presenters/new-lead-form.presenter.js';
import { larkIdentity } from './identity.js';
import type { LarkApi, Receiver } from './lark-api.js';
import { type LarkCard, textCard } from './views/lark-card.js';
import { buildLeadCard } from './views/lead-card.card.js';
import { buildNewLeadFormCard } from './views/new-lead-form.card.js';

export interface LarkHandlerDeps {
  store: LeadStore & IntakeStore;
  sources: SourceCatalog;
  teams: TeamDirectory;
  clock: Clock;
  directory: MemberDirectory;
  claims?: ClaimLatch;
  leads: LeadReadModel;
  api: LarkApi;
  appId: string;
  log: Logger;
}

/** What a card click is answered with inside the 3 s: a toast, and the card to show instead. */
export interface CardAnswer {
  toast: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: LarkCard };
}

// Ids Lark sends are short tokens; anything else is forged or broken and is not acted on.
const larkId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const eventId = z.string().min(1).max(128);

const cardActionSchema = z.object({
  event_id: eventId,
  operator: z.object({ open_id: larkId }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).nullish(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
  }),
  context: z.object({ open_message_id: larkId.optional(), open_chat_id: larkId.optional() }).optional(),
});

const messageSchema = z.object({
  event_id: eventId,
  sender: z.object({ sender_type: z.string(), sender_id: z.object({ open_id: larkId }) }),
  message: z.object({
    message_id: larkId,
    chat_id: larkId,
    chat_type: z.string(),
    message_type: z.string(),
    content: z.string().max(150_000),
    mentions: z.array(z.object({ key: z.string().max(64) })).nullish(),
  }),
});

const botMenuSchema = z.object({
  event_id: eventId,
  event_key: z.string().max(128),
  operator: z.object({ operator_id: z.object({ open_id: larkId }) }),
});

const buttonValue = z.object({ action: z.string().max(64), lead: leadIdValue });
const DUPLICATE_ANSWERS: Record<string, DuplicateAnswer> = {
  [ACTION_IDS.duplicateMine]: 'mine',
  [ACTION_IDS.duplicateNotDuplicate]: 'not_duplicate',
  [ACTION_IDS.duplicateRelease]: 'release',
};

/** The handlers the SDK's dispatcher calls; both transports register the same ones. */
export function larkEventHandlers(deps: LarkHandlerDeps) {
  return {
    'card.action.trigger': (data: unknown) => answerClickInTime(deps, data),
    'im.message.receive_v1': (data: unknown) => onMessage(deps, data),
    'application.bot.menu_v6': (data: unknown) => onBotMenu(deps, data),
  };
}

/** Subscribed event types: the manifest lists exactly these (checked by a test). */
export const LARK_EVENT_TYPES = ['im.message.receive_v1', 'application.bot.menu_v6'] as const;
export const LARK_CALLBACK_TYPES = ['card.action.trigger'] as const;

const toast = (type: CardAnswer['toast']['type'], content: string): CardAnswer => ({ toast: { type, content } });

/** Lark waits 3 s for a click's answer; past this, the click is answered "working on it" instead. */
export const CLICK_DEADLINE_MS = 2_500;

/**
 * The answer if it is ready by the deadline; otherwise `early` now, and `late` is called with the
 * answer when it comes. Lark would show a failure and push the click again if we were too slow.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  deadlineMs: number,
  early: T,
  late: (answer: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = Symbol('timed out');
  const first = await Promise.race([
    work,
    new Promise<typeof timedOut>((resolve) => (timer = setTimeout(() => resolve(timedOut), deadlineMs))),
  ]);
  clearTimeout(timer);
  if (first !== timedOut) return first;
  void work.then(late);
  return early;
}

/** A slow click: the card is updated by the outbox when the claim lands; anything else reaches the clicker by DM. */
function answerClickInTime(deps: LarkHandlerDeps, data: unknown): Promise<CardAnswer> {
  const openId = cardActionSchema.safeParse(data).data?.operator.open_id;
  const locale = deps.directory.localeOf(openId ?? '');
  return withinDeadline(
    onCardAction(deps, data),
    CLICK_DEADLINE_MS,
    toast('info', t(locale, 'toast.working')),
    (answer) => {
      if (!openId) return;
      void deps.api
        .send({ type: 'open_id', id: openId }, textCard(answer.toast.content), `late-${randomUUID()}`)
        .catch((error) => deps.log.error('Lark late click answer failed', errorFields(error)));
    },
  );
}

/**
 * A card click. Never throws: a throwing handler makes Lark show a bare failure and redeliver the
 * click, so refusals and even unexpected errors are answered with a toast.
 */
async function onCardAction(deps: LarkHandlerDeps, data: unknown): Promise<CardAnswer> {
  const parsed = cardActionSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark card click with malformed payload ignored');
    return toast('warning', t(deps.directory.localeOf(''), 'toast.stale_button'));
  }
  const click = parsed.data;
  const openId = click.operator.open_id;
  const locale = deps.directory.localeOf(openId);
  const actor = larkIdentity(openId, deps.appId);
  const requestId = `lark:${click.event_id}`;
  const value = click.action.value ?? {};
  try {
    if (value.action === FORM_ACTIONS.newLeadSubmit)
      return await submitForm(
        deps,
        actor,
        locale,
        click.action.form_value ?? {},
        value,
        click.context?.open_message_id,
      );
    const target = buttonValue.safeParse(value);
    if (!target.success) return toast('warning', t(locale, 'toast.stale_button'));
    const { action, lead: leadId } = target.data;
    if (action === ACTION_IDS.claimLead) {
      await claimLead(deps, { leadId, actor, requestId });
      const card = await leadCard(deps, leadId);
      return { ...toast('success', t(locale, 'toast.claimed', { ref: formatLeadRef(leadId) })), ...card };
    }
    const answer = DUPLICATE_ANSWERS[action];
    if (!answer) return toast('warning', t(locale, 'toast.stale_button'));
    const { lead, existing } = await answerDuplicate(deps, { leadId, actor, answer, requestId });
    const text = presentDuplicateAnswered(locale, answer, lead, existing);
    return { ...toast('success', text), card: { type: 'raw', data: textCard(text) } };
  } catch (error) {
    const shown = presentError(error, locale, timeZoneOf(deps, click.context?.open_chat_id));
    if (!shown.expected) deps.log.error('Lark card click failed', errorFields(error));
    return toast(shown.expected ? 'warning' : 'error', shown.text);
  }
}

const timeZoneOf = (deps: LarkHandlerDeps, chatId: string | undefined) =>
  chatId ? deps.directory.timeZoneOfDestination(chatId) : undefined;

async function leadCard(deps: LarkHandlerDeps, leadId: number): Promise<Pick<CardAnswer, 'card'>> {
  const data = await deps.leads.cardData(leadId);
  const team = data && deps.teams.find(data.lead.teamId);
  return data && team ? { card: { type: 'raw', data: buildLeadCard(presentLeadCard(data, team)) } } : {};
}

async function submitForm(
  deps: LarkHandlerDeps,
  actor: Identity,
  locale: Locale,
  form: Record<string, unknown>,
  value: Record<string, unknown>,
  messageId: string | undefined,
): Promise<CardAnswer> {
  // Empty inputs are left out, as in the Slack modal; the team comes from the button when fixed.
  const input = new Map<string, unknown>();
  for (const [field, v] of Object.entries(form)) if (!(typeof v === 'string' && v.trim() === '')) input.set(field, v);
  if (typeof value.team === 'string' && value.team) input.set('team', value.team);
  const checked = validateLead(Object.fromEntries(input), deps.teams, deps.sources);
  if (!checked.ok) {
    const problems = Object.entries(presentFieldProblems(checked.problems, locale))
      .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
      .join('; ');
    return toast('warning', t(locale, 'toast.form_problems', { problems }));
  }
  // The form's message id keys the submission: a second submit of the same card replays.
  const outcome = await submitLead(deps, {
    lead: checked.lead,
    actor,
    submissionKey: messageId ?? checked.lead.fingerprint,
  });
  const { teamId, scoring } = checked.lead;
  const text = presentIntakeResult(locale, outcome, {
    teamName: deps.teams.find(teamId)?.name ?? teamId,
    score: scoring.score,
    priority: scoring.priority,
    ownerName: await ownerName(deps, outcome),
  });
  return { ...toast('success', text), card: { type: 'raw', data: textCard(text, t(locale, 'modal.title')) } };
}

async function ownerName(deps: LarkHandlerDeps, outcome: IntakeOutcome): Promise<string | null> {
  if (outcome.kind !== 'awaiting_owner') return null;
  return (await deps.leads.member(outcome.ownerId))?.displayName ?? null;
}

/** Text sent to the bot: "/lead mine", "我的", "跟进 L-12 call …". Group replies go to the sender's DM. */
async function onMessage(deps: LarkHandlerDeps, data: unknown): Promise<void> {
  const parsed = messageSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark message with malformed payload ignored');
    return;
  }
  const { sender, message, event_id } = parsed.data;
  if (sender.sender_type !== 'user' || message.message_type !== 'text') return;
  const openId = sender.sender_id.open_id;
  const to: Receiver =
    message.chat_type === 'p2p' ? { type: 'chat_id', id: message.chat_id } : { type: 'open_id', id: openId };
  const text = commandText(message.content, message.mentions ?? []);
  if (text === null) return;
  await answerCommand(deps, openId, parseLeadCommand(text), to, `reply-${event_id}`, `lark:${event_id}`);
}

/** The command words of a text message: mentions of the bot and a leading "/lead" removed. */
export function commandText(content: string, mentions: readonly { key: string }[]): string | null {
  let text: unknown;
  try {
    text = (JSON.parse(content) as { text?: unknown }).text;
  } catch {
    return null;
  }
  if (typeof text !== 'string') return null;
  for (const m of mentions) text = (text as string).split(m.key).join(' ');
  return (text as string).replace(/^\s*\/lead\b/i, '').trim();
}

async function onBotMenu(deps: LarkHandlerDeps, data: unknown): Promise<void> {
  const parsed = botMenuSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark bot menu event with malformed payload ignored');
    return;
  }
  const openId = parsed.data.operator.operator_id.open_id;
  const command: LeadCommand =
    parsed.data.event_key === BOT_MENU.myLeads
      ? { kind: 'mine' }
      : parsed.data.event_key === BOT_MENU.newLead
        ? { kind: 'new' }
        : { kind: 'help' };
  const id = parsed.data.event_id;
  await answerCommand(deps, openId, command, { type: 'open_id', id: openId }, `reply-${id}`, `lark:${id}`);
}

async function answerCommand(
  deps: LarkHandlerDeps,
  openId: string,
  command: LeadCommand,
  to: Receiver,
  replyKey: string,
  requestId: string,
): Promise<void> {
  const locale = deps.directory.localeOf(openId);
  let reply: LarkCard;
  try {
    reply = await runCommand(deps, larkIdentity(openId, deps.appId), command, locale, requestId);
  } catch (error) {
    const shown = presentError(error, locale);
    if (!shown.expected) deps.log.error('Lark command failed', errorFields(error));
    reply = textCard(shown.text);
  }
  // The reply is sent after the event is answered: Lark's 3 s is for the answer, and a rate-limited
  // send may wait. The send uuid makes a redelivered command's reply arrive once.
  void deps.api.send(to, reply, replyKey).catch((error) => deps.log.error('Lark reply failed', errorFields(error)));
}

async function runCommand(
  deps: LarkHandlerDeps,
  actor: Identity,
  command: LeadCommand,
  locale: Locale,
  requestId: string,
): Promise<LarkCard> {
  switch (command.kind) {
    case 'help':
      return textCard(presentUsage(locale));
    case 'invalid':
      return textCard(presentInvalidCommand(locale, command.problem, command.params));
    case 'mine':
      return textCard(presentMyLeads(await listMyLeads(deps.store, actor), deps.teams, locale));
    case 'new': {
      const teams = deps.directory.teamsOf(actor.externalId);
      if (teams.length === 0) return textCard(t(locale, 'modal.no_team'));
      return buildNewLeadFormCard(presentNewLeadForm(teams, deps.sources, locale));
    }
    case 'log': {
      const { leadId, method, note } = command;
      const { lead, dueAt } = await logFollowUp(deps, { leadId, actor, method, note, requestId });
      return textCard(presentFollowUpLogged(locale, method, lead, dueAt, deps.teams.find(lead.teamId)?.timeZone));
    }
  }
}
