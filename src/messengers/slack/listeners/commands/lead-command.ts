import type { App, RespondFn } from '@slack/bolt';
import { logFollowUp } from '../../../../domain/follow-ups/log-follow-up.js';
import type { Locale } from '../../../../domain/leads/lead.js';
import type { Identity } from '../../../../domain/members/identity.js';
import { errorFields } from '../../../../infra/logger.js';
import { SLASH_COMMAND } from '../../../shared/action-ids.js';
import { type LeadCommand, parseLeadCommand } from '../../../shared/command-parser.js';
import { myLeads } from '../../../shared/my-leads.js';
import {
  presentFollowUpLogged,
  presentInvalidCommand,
  presentMyLeads,
  presentUsage,
} from '../../../shared/presenters/command-reply.presenter.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { presentShown } from '../../../shared/show-lead.js';
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
      await run(deps, cmd, slackIdentity(command.user_id, command.team_id), locale, reply);
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('/lead failed', errorFields(error));
      await reply(shown.text);
    }
  });
}

async function run(
  deps: SlackListenerDeps,
  cmd: Exclude<LeadCommand, { kind: 'new' }>,
  actor: Identity,
  locale: Locale,
  reply: (message: string) => ReturnType<RespondFn>,
): Promise<void> {
  switch (cmd.kind) {
    case 'help':
      await reply(presentUsage(locale));
      return;
    case 'invalid':
      await reply(presentInvalidCommand(locale, cmd.problem, cmd.params));
      return;
    case 'mine':
      await reply(presentMyLeads(await myLeads(deps, actor, cmd.only), deps.teams, locale, cmd.only));
      return;
    case 'show':
      await reply(await presentShown(deps, actor, cmd.leadId, locale));
      return;
    case 'log': {
      const { leadId, method, note, next } = cmd;
      const logged = await logFollowUp(deps, { leadId, actor, method, note, next });
      await reply(presentFollowUpLogged(locale, method, logged, deps.teams.find(logged.lead.teamId)?.timeZone));
    }
  }
}
