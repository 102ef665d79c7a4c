import type { App } from '@slack/bolt';
import { errorFields } from '../../../../infra/logger.js';
import { SLASH_COMMAND } from '../../../shared/action-ids.js';
import { parseLeadCommand } from '../../../shared/command-parser.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { answerTextCommand } from '../../../shared/text-commands.js';
import { slackIdentity } from '../../identity.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';
import { openNewLeadModal } from '../views/new-lead.js';

/** `/lead …`: acknowledge, parse, run one use case, answer ephemerally through response_url. */
export function registerLeadCommand(app: App, deps: SlackListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ ack, command, respond, client }) => {
    await ack();
    const locale = deps.directory.localeOf(command.user_id);
    const reply = (message: string) => respond({ response_type: 'ephemeral', ...textMessage(message) });
    try {
      const cmd = parseLeadCommand(command.text ?? '');
      if (cmd.kind === 'new') {
        const refused = await openNewLeadModal(deps, client, command.trigger_id, command.user_id);
        if (refused) await reply(refused);
        return;
      }
      const actor = slackIdentity(command.user_id, command.team_id);
      const mentioned = (userId: string) => slackIdentity(userId, command.team_id);
      await reply(await answerTextCommand(deps, cmd, { actor, locale, mentioned }));
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('/lead failed', errorFields(error));
      await reply(shown.text);
    }
  });
}
