import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerLeadButton, LEAD_ANSWERS, type LeadAnswer } from '../../../shared/lead-answers.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';
import { clickReply, leadClick } from './click-reply.js';

/**
 * The answer buttons of a DM (see LEAD_ANSWERS): the question is replaced by what was done, so it
 * cannot be answered twice from that message; a refusal (not yours, already answered) is shown
 * privately and changes nothing.
 */
export function registerLeadAnswers(app: App, deps: SlackListenerDeps): void {
  for (const answer of LEAD_ANSWERS) app.action<BlockButtonAction>(answer.actionId, onAnswer(deps, answer));
}

function onAnswer(deps: SlackListenerDeps, answer: LeadAnswer) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & { client: App['client'] }) => {
    await ack();
    const reply = clickReply(body, respond, client);
    const click = leadClick(body, action);
    if (!click) {
      deps.log.warn(`${answer.what} with malformed payload ignored`, { action: answer.actionId });
      return;
    }
    const reader = { locale: deps.directory.localeOf(click.userId), timeZone: deps.directory.timeZoneOf(click.userId) };
    const done = await answerLeadButton(deps, answer, { leadId: click.leadId, actor: click.actor }, reader);
    if (done.ok) await reply.replace(textMessage(done.text));
    else await reply.tell(textMessage(done.text));
  };
}
