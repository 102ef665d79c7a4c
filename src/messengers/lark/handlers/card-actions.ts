import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { claimLead } from '../../../domain/claims/claim-lead.js';
import { followUpTarget } from '../../../domain/follow-ups/log-follow-up.js';
import { validateLead } from '../../../domain/intake/validate-lead.js';
import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import type { Identity } from '../../../domain/members/identity.js';
import { t } from '../../../i18n/catalog.js';
import { formProblems, presentFieldProblems } from '../../../i18n/field-problems.js';
import { errorFields } from '../../../infra/logger.js';
import { ACTION_IDS, FORM_ACTIONS, leadIdValue } from '../../shared/action-ids.js';
import { type FollowUpFormValues, followUpValues, submitFollowUpForm } from '../../shared/follow-up-form.js';
import { funnelAnswer } from '../../shared/funnel-answer.js';
import { answerLeadButton, LEAD_ANSWERS } from '../../shared/lead-answers.js';
import { cardShowing } from '../../shared/lead-card-showing.js';
import { LEAD_FORMS, type LeadForm, type LeadTarget, openLeadForm, submitLeadForm } from '../../shared/lead-forms.js';
import { presentError } from '../../shared/presenters/error.presenter.js';
import { presentFollowUpForm } from '../../shared/presenters/follow-up-form.presenter.js';
import { presentShown } from '../../shared/show-lead.js';
import { submitFormLead } from '../../shared/submit-form-lead.js';
import { larkIdentity } from '../identity.js';
import { LARK_CARDS } from '../lead-cards.js';
import { buildFunnelCard } from '../views/chart.card.js';
import { buildFollowUpFormCard } from '../views/follow-up-form.card.js';
import { buildLeadFormCard } from '../views/home.card.js';
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

const buttonValue = z.object({ action: z.string().max(64), lead: leadIdValue });
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
  const locale = deps.directory.localeOf(openId);
  const actor = larkIdentity(openId, deps.appId);
  const requestId = `lark:${click.event_id}`;
  const value = click.action.value ?? {};
  try {
    if (value.action === FORM_ACTIONS.newLeadSubmit) {
      const form = click.action.form_value ?? {};
      return await submitNewLeadForm(deps, actor, locale, form, value, click.context?.open_message_id);
    }
    if (
      value.action === ACTION_IDS.openFunnel &&
      typeof value.team === 'string' &&
      /^[a-z0-9-]{1,64}$/.test(value.team)
    ) {
      const answer = await funnelAnswer(deps, { actor, team: value.team, period: 'this week' }, locale);
      await deps.api.send(
        { type: 'open_id', id: openId },
        buildFunnelCard(answer.text, answer.charts),
        `funnel-${click.event_id}`,
      );
      return toast('success', t(locale, 'toast.sent_to_chat'));
    }
    const target = buttonValue.safeParse(value);
    if (!target.success) return toast('warning', t(locale, 'toast.stale_button'));
    const { action, lead: leadId } = target.data;
    if (action === FORM_ACTIONS.followUpSubmit) {
      const values = followUpValues(click.action.form_value ?? {});
      return await submitFollowUp(deps, { leadId, actor, values, requestId }, locale);
    }
    if (action === ACTION_IDS.openFollowUp) return await openFollowUp(deps, { leadId, actor, openId }, locale);
    if (action === ACTION_IDS.showLead) {
      const detail = await presentShown(deps, actor, leadId, locale, deps.directory.timeZoneOf(openId));
      await deps.api.send({ type: 'open_id', id: openId }, textCard(detail), `show-${click.event_id}`);
      return toast('success', t(locale, 'toast.sent_to_chat'));
    }
    const opened = LEAD_FORMS.find((f) => f.opensWith === action);
    if (opened) return await openForm(deps, opened, { leadId, actor }, locale);
    const submitted = LEAD_FORMS.find((f) => f.larkSubmit === action);
    if (submitted) {
      const value = click.action.form_value?.[submitted.field];
      return await submitForm(deps, submitted, { leadId, actor, requestId, value }, locale);
    }
    const answerButton = LEAD_ANSWERS.find((a) => a.actionId === action);
    if (answerButton) {
      const reader = { locale, timeZone: deps.directory.timeZoneOf(openId) };
      const done = await answerLeadButton(deps, answerButton, { leadId, actor, requestId }, reader);
      if (!done.ok) return toast(done.expected ? 'warning' : 'error', done.text);
      return { ...toast('success', done.text), card: { type: 'raw', data: textCard(done.text) } };
    }
    if (action === ACTION_IDS.claimLead) {
      await claimLead(deps, { leadId, actor, requestId });
      const card = await cardShowing(deps, LARK_CARDS, leadId);
      const answer = toast('success', t(locale, 'toast.claimed', { ref: formatLeadRef(leadId) }));
      return card ? { ...answer, card: { type: 'raw', data: card } } : answer;
    }
    return toast('warning', t(locale, 'toast.stale_button'));
  } catch (error) {
    const shown = presentError(error, locale, deps.directory.timeZoneOf(openId));
    if (!shown.expected) deps.log.error('Lark card click failed', errorFields(error));
    return toast(shown.expected ? 'warning' : 'error', shown.text);
  }
}

/** A one-field form (see LEAD_FORMS) in place of the card it was opened from; a refusal is a toast. */
async function openForm(
  deps: LarkHandlerDeps,
  form: LeadForm,
  target: LeadTarget,
  locale: Locale,
): Promise<CardAnswer> {
  const opening = await openLeadForm(deps, form, target, locale);
  if (!opening.ok) return toast('warning', opening.text);
  const data = buildLeadFormCard(opening.view, target.leadId, form.larkSubmit);
  return { ...toast('info', formatLeadRef(target.leadId)), card: { type: 'raw', data } };
}

/** A submitted one-field form: its answer in place of the form, or the form again with the problem. */
async function submitForm(
  deps: LarkHandlerDeps,
  form: LeadForm,
  input: LeadTarget & { requestId: string; value: unknown },
  locale: Locale,
): Promise<CardAnswer> {
  const answer = await submitLeadForm(deps, form, input, locale);
  if (answer.ok) return { ...toast('success', answer.text), card: { type: 'raw', data: textCard(answer.text) } };
  const opening = await openLeadForm(deps, form, input, locale);
  if (!opening.ok) return toast('warning', answer.error);
  const data = buildLeadFormCard(opening.view, input.leadId, form.larkSubmit, answer.error);
  return { ...toast('warning', answer.error), card: { type: 'raw', data } };
}

/** Sends the form to the person's chat with the bot (a group card must stay as it is) and says so. */
async function openFollowUp(
  deps: LarkHandlerDeps,
  input: { leadId: number; actor: Identity; openId: string },
  locale: Locale,
): Promise<CardAnswer> {
  const lead = await followUpTarget(deps, input);
  const form = buildFollowUpFormCard(presentFollowUpForm(lead, locale));
  await deps.api.send({ type: 'open_id', id: input.openId }, form, `follow-up-form-${randomUUID()}`);
  return toast('success', t(locale, 'follow_up_form.sent', { ref: formatLeadRef(lead.id) }));
}

/** A refused submit shows the form again with its problems in place; a logged one becomes the answer. */
async function submitFollowUp(
  deps: LarkHandlerDeps,
  input: { leadId: number; actor: Identity; values: FollowUpFormValues; requestId: string },
  locale: Locale,
): Promise<CardAnswer> {
  const result = await submitFollowUpForm(deps, input, locale);
  if (result.ok) return { ...toast('success', result.text), card: { type: 'raw', data: textCard(result.text) } };
  if (result.unexpected) deps.log.error('follow-up from the Lark form failed', { leadId: input.leadId });
  const lead = (await deps.leads.lead(input.leadId)) ?? { id: input.leadId, name: '', company: null };
  const form = presentFollowUpForm(lead, locale, input.values, result.errors);
  const first = Object.values(result.errors)[0] ?? '';
  return { ...toast('warning', first), card: { type: 'raw', data: buildFollowUpFormCard(form) } };
}

async function submitNewLeadForm(
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
  const found = checked.ok ? formProblems(checked.lead.warnings) : checked.problems;
  if (!checked.ok || found.length > 0) {
    const problems = Object.entries(presentFieldProblems(found, locale))
      .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
      .join('; ');
    return toast('warning', t(locale, 'toast.form_problems', { problems }));
  }
  // The form's message id keys the submission: a second submit of the same card replays.
  const submissionKey = messageId ?? checked.lead.fingerprint;
  const text = await submitFormLead(deps, { lead: checked.lead, actor, submissionKey }, locale);
  return { ...toast('success', text), card: { type: 'raw', data: textCard(text, t(locale, 'modal.title')) } };
}
