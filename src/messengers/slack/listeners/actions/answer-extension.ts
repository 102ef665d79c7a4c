import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerExtension } from '../../../../domain/sla/extensions.js';
import { errorFields } from '../../../../infra/logger.js';
import { ACTION_IDS } from '../../../shared/action-ids.js';
import { presentExtensionAnswered } from '../../../shared/presenters/direct-message.presenter.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';
import { clickReply, leadClick } from './click-reply.js';

/**
 * A manager's Approve or Deny on a request for more time: the DM is replaced by what was decided,
 * so it cannot be answered twice from it; a refusal (not a manager, already answered) is shown
 * privately and changes nothing.
 */
export function registerAnswerExtensionActions(app: App, deps: SlackListenerDeps): void {
  const handle =
    (approve: boolean) =>
    async ({
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
        deps.log.warn('extension answer with malformed payload ignored', { action: action.action_id });
        return;
      }
      const locale = deps.directory.localeOf(click.userId);
      try {
        const { actor } = click;
        const answered = await answerExtension(deps, { leadId: click.leadId, actor, approve });
        const zone = deps.directory.timeZoneOf(click.userId);
        await reply.replace(textMessage(presentExtensionAnswered(answered, locale, zone)));
      } catch (error) {
        const shown = presentError(error, locale, deps.directory.timeZoneOf(click.userId));
        if (!shown.expected) deps.log.error('extension answer failed', { leadId: click.leadId, ...errorFields(error) });
        await reply.tell(textMessage(shown.text));
      }
    };
  app.action<BlockButtonAction>(ACTION_IDS.approveExtension, handle(true));
  app.action<BlockButtonAction>(ACTION_IDS.denyExtension, handle(false));
}
