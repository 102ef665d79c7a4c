import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { t } from '../../../i18n/catalog.js';
import { errorFields } from '../../../infra/logger.js';
import { type Reply, runInteraction } from '../../shared/interaction.js';
import { INTERACTIONS } from '../../shared/interactions.js';
import { cardShowing } from '../../shared/lead-card-showing.js';
import { larkIdentity } from '../identity.js';
import { LARK_CARDS } from '../lead-cards.js';
import { buildFunnelCard } from '../views/chart.card.js';
import { buildFormCard } from '../views/form.card.js';
import { type LarkCard, textCard } from '../views/lark-card.js';
import { eventId, type LarkHandlerDeps, larkId } from './deps.js';

/** What a card click is answered with inside the 3 s: a toast, and the card to show instead. */
export interface CardAnswer {
  toast: { type: 'success' | 'info' | 'warning' | 'error'; content: string };
  card?: { type: 'raw'; data: LarkCard };
}

/** The parts of a `card.action.trigger` callback Leadpool reads (the SDK hands it over flattened). */
const cardActionSchema = z.object({
  event_id: eventId,
  operator: z.object({ open_id: larkId }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).nullish(),
    form_value: z.record(z.string(), z.unknown()).nullish(),
  }),
  context: z.object({ open_message_id: larkId.optional(), open_chat_id: larkId.optional() }).optional(),
});

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

/**
 * A card click, answered within Lark's 3 s: a slow one gets "working on it", its card is updated by
 * the outbox when the claim lands, and any other result reaches the clicker by DM.
 */
export function answerClickInTime(deps: LarkHandlerDeps, data: unknown): Promise<CardAnswer> {
  const parsed = cardActionSchema.safeParse(data);
  if (!parsed.success) {
    deps.log.warn('Lark card click with malformed payload ignored');
    return Promise.resolve(toast('warning', t(deps.directory.localeOf(''), 'toast.stale_button')));
  }
  const click = parsed.data;
  const openId = click.operator.open_id;
  const working = toast('info', t(deps.directory.localeOf(openId), 'toast.working'));
  return withinDeadline(onCardAction(deps, click), CLICK_DEADLINE_MS, working, (answer) => {
    void deps.api
      .send({ type: 'open_id', id: openId }, textCard(answer.toast.content), `late-${randomUUID()}`)
      .catch((error) => deps.log.error('Lark late click answer failed', errorFields(error)));
  });
}

type CardClick = z.output<typeof cardActionSchema>;

/**
 * Never throws: a throwing handler makes Lark show a bare failure and redeliver the click, so
 * refusals and even unexpected errors are answered with a toast.
 */
async function onCardAction(deps: LarkHandlerDeps, click: CardClick): Promise<CardAnswer> {
  const openId = click.operator.open_id;
  const reader = { locale: deps.directory.localeOf(openId), timeZone: deps.directory.timeZoneOf(openId) };
  const { action, ...subject } = click.action.value ?? {};
  const messageId = click.context?.open_message_id;
  const reply = await runInteraction(deps, INTERACTIONS, {
    interaction: typeof action === 'string' ? action : '',
    actor: larkIdentity(openId, deps.appId),
    subject,
    form: click.action.form_value ?? {},
    reader,
    requestId: `lark:${click.event_id}`,
    ...(messageId ? { formId: messageId } : {}),
  });
  try {
    return await drawReply(deps, reply, { openId, eventId: click.event_id });
  } catch (error) {
    deps.log.error('Lark card click answer failed', errorFields(error));
    return toast('error', t(reader.locale, 'error.unexpected'));
  }
}

const raw = (data: LarkCard): CardAnswer['card'] => ({ type: 'raw', data });

/** A reply as Lark shows it: a toast, and the card to show in place of the clicked one. */
async function drawReply(
  deps: LarkHandlerDeps,
  reply: Reply,
  click: { openId: string; eventId: string },
): Promise<CardAnswer> {
  const locale = deps.directory.localeOf(click.openId);
  const toChat = async (card: LarkCard, what: string) => {
    await deps.api.send({ type: 'open_id', id: click.openId }, card, `${what}-${click.eventId}`);
  };
  switch (reply.kind) {
    case 'notice':
      return toast(reply.tone, reply.text);
    case 'replace':
      return { ...toast('success', reply.text), card: raw(textCard(reply.text, reply.title)) };
    case 'lead_card': {
      const card = await cardShowing(deps, LARK_CARDS, reply.leadId, reply.data);
      return { ...toast('success', reply.text), ...(card ? { card: raw(card) } : {}) };
    }
    case 'form': {
      const form = buildFormCard(reply.form);
      const tone = Object.keys(reply.form.errors).length > 0 ? 'warning' : 'info';
      // A group card must stay as it is for everyone else: the form goes to the person's chat.
      if (!reply.privately) return { ...toast(tone, reply.text), card: raw(form) };
      await toChat(form, 'form');
      return toast('success', reply.text);
    }
    case 'view':
      await toChat(
        reply.charts ? buildFunnelCard(reply.text, reply.charts) : textCard(reply.text, reply.title),
        'view',
      );
      return toast('success', t(locale, 'toast.sent_to_chat'));
    case 'answered':
      // Lark hears the answer in the callback's reply, so a click here is never answered early.
      return toast('info', t(locale, 'toast.working'));
  }
}
