import { z } from 'zod';
import type { Locale } from '../../../domain/leads/lead.js';
import type { Identity } from '../../../domain/members/identity.js';
import { t } from '../../../i18n/catalog.js';
import { errorFields } from '../../../infra/logger.js';
import { BOT_MENU } from '../../shared/action-ids.js';
import { type LeadCommand, languageOfCommand, parseLeadCommand } from '../../shared/command-parser.js';
import { funnelAnswer } from '../../shared/funnel-answer.js';
import { homeFor } from '../../shared/home.js';
import { newLeadForm } from '../../shared/interactions.js';
import { periodExportFile } from '../../shared/period-export-file.js';
import { presentError } from '../../shared/presenters/error.presenter.js';
import { answerTextCommand, funnelInput } from '../../shared/text-commands.js';
import { larkIdentity } from '../identity.js';
import type { Receiver } from '../lark-api.js';
import { buildFunnelCard } from '../views/chart.card.js';
import { buildFormCard } from '../views/form.card.js';
import { buildHomeCard } from '../views/home.card.js';
import { type LarkCard, textCard } from '../views/lark-card.js';
import { eventId, type LarkHandlerDeps, larkId } from './deps.js';

const messageSchema = z.object({
  event_id: eventId,
  // Lark leaves sender_type out of some deliveries (its own SDK's samples): a sender with an open_id is a person.
  sender: z.object({ sender_type: z.string().optional(), sender_id: z.object({ open_id: larkId }) }),
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

/** Text sent to the bot: "/lead mine", "我的", "跟进 L-12 call …". Group replies go to the sender's DM. */
export async function onMessage(deps: LarkHandlerDeps, data: unknown): Promise<void> {
  const parsed = messageSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark message with malformed payload ignored');
    return;
  }
  const { sender, message, event_id } = parsed.data;
  if (sender.sender_type !== undefined && sender.sender_type !== 'user') return;
  const openId = sender.sender_id.open_id;
  const to: Receiver =
    message.chat_type === 'p2p' ? { type: 'chat_id', id: message.chat_id } : { type: 'open_id', id: openId };
  if (message.message_type !== 'text') {
    deps.log.info('Lark message that is not text is not a command', { type: message.message_type.slice(0, 30) });
    // Sent to the bot alone, it was meant for it: say what it reads. In a group it was not.
    if (message.chat_type === 'p2p') {
      const reply = textCard(t(deps.directory.localeOf(openId), 'lark.text_only'));
      void deps.api
        .send(to, reply, `reply-${event_id}`)
        .catch((error) => deps.log.error('Lark reply failed', errorFields(error)));
    }
    return;
  }
  const text = commandText(message.content, message.mentions ?? []);
  if (text === null) return;
  const channelTeam = deps.directory.teamOfDestination(message.chat_id);
  const request = {
    replyKey: `reply-${event_id}`,
    requestId: `lark:${event_id}`,
    channelTeam,
    language: languageOfCommand(text),
  };
  await answerCommand(deps, openId, parseLeadCommand(text), to, request);
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

export async function onBotMenu(deps: LarkHandlerDeps, data: unknown): Promise<void> {
  const parsed = botMenuSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark bot menu event with malformed payload ignored');
    return;
  }
  const openId = parsed.data.operator.operator_id.open_id;
  const id = parsed.data.event_id;
  const to: Receiver = { type: 'open_id', id: openId };
  if (parsed.data.event_key === BOT_MENU.home) {
    await sendHome(deps, openId, to, `reply-${id}`);
    return;
  }
  const command: LeadCommand =
    parsed.data.event_key === BOT_MENU.myLeads
      ? { kind: 'mine' }
      : parsed.data.event_key === BOT_MENU.newLead
        ? { kind: 'new' }
        : { kind: 'help' };
  await answerCommand(deps, openId, command, to, { replyKey: `reply-${id}`, requestId: `lark:${id}` });
}

/** The desk card, sent to the person's chat with the bot (Lark has no home tab). */
async function sendHome(deps: LarkHandlerDeps, openId: string, to: Receiver, replyKey: string): Promise<void> {
  const locale = deps.directory.localeOf(openId);
  let reply: LarkCard;
  try {
    const zone = deps.directory.timeZoneOf(openId);
    reply = buildHomeCard(await homeFor(deps, larkIdentity(openId, deps.appId), locale, zone));
  } catch (error) {
    deps.log.error('Lark home card failed', errorFields(error));
    reply = textCard(presentError(error, locale).text);
  }
  void deps.api.send(to, reply, replyKey).catch((error) => deps.log.error('Lark reply failed', errorFields(error)));
}

async function answerCommand(
  deps: LarkHandlerDeps,
  openId: string,
  command: LeadCommand,
  to: Receiver,
  request: { replyKey: string; requestId: string; channelTeam?: string | undefined; language?: Locale | null },
): Promise<void> {
  const { replyKey } = request;
  const locale = request.language ?? deps.directory.localeOf(openId);
  let reply: LarkCard;
  try {
    reply = await runCommand(deps, larkIdentity(openId, deps.appId), command, locale, request);
  } catch (error) {
    const shown = presentError(error, locale, deps.directory.timeZoneOf(openId));
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
  { requestId, channelTeam }: { requestId: string; channelTeam?: string | undefined },
): Promise<LarkCard> {
  if (command.kind === 'export') {
    const file = await periodExportFile(deps, actor, { ...command, channelTeam }, locale);
    await deps.api.sendFile(
      { type: 'open_id', id: actor.externalId },
      { name: file.filename, content: file.content },
      `export-${requestId}`,
    );
    return textCard(file.comment);
  }
  if (command.kind === 'funnel') {
    const answer = await funnelAnswer(deps, funnelInput(command, actor, channelTeam), locale);
    return buildFunnelCard(answer.text, answer.charts);
  }
  if (command.kind !== 'new') {
    const timeZone = deps.directory.timeZoneOf(actor.externalId);
    const context = {
      actor,
      locale,
      timeZone,
      requestId,
      medium: 'lark' as const,
      ...(channelTeam ? { channelTeam } : {}),
    };
    return textCard(await answerTextCommand(deps, command, context));
  }
  const form = newLeadForm(deps, actor, locale);
  return form ? buildFormCard(form) : textCard(t(locale, 'modal.no_team'));
}
