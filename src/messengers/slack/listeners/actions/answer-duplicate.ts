import type { App, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { answerDuplicate, type DuplicateAnswer } from '../../../../domain/duplicates/answer-duplicate.js';
import { errorFields } from '../../../../infra/logger.js';
import { ACTION_IDS } from '../../../shared/action-ids.js';
import { presentDuplicateAnswered } from '../../../shared/presenters/command-reply.presenter.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';
import { clickReply, leadClick } from './click-reply.js';

/**
 * The owner's answer to "is this new lead yours?": the question is replaced by what was done, so
 * it cannot be answered twice from the same message; a second answer elsewhere is refused by the
 * conditional write.
 */
export function registerAnswerDuplicateActions(app: App, deps: SlackListenerDeps): void {
  const handle = (answer: DuplicateAnswer) => {
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
        deps.log.warn('duplicate answer with malformed payload ignored', { action: action.action_id });
        return;
      }
      const locale = deps.directory.localeOf(click.userId);
      try {
        const { lead, existing } = await answerDuplicate(deps, {
          leadId: click.leadId,
          actor: click.actor,
          answer,
        });
        await reply.replace(textMessage(presentDuplicateAnswered(locale, answer, lead, existing)));
      } catch (error) {
        const shown = presentError(error, locale);
        if (!shown.expected) deps.log.error('duplicate answer failed', { leadId: click.leadId, ...errorFields(error) });
        await reply.tell(textMessage(shown.text));
      }
    };
  };
  app.action<BlockButtonAction>(ACTION_IDS.duplicateMine, handle('mine'));
  app.action<BlockButtonAction>(ACTION_IDS.duplicateNotDuplicate, handle('not_duplicate'));
  app.action<BlockButtonAction>(ACTION_IDS.duplicateRelease, handle('release'));
}
