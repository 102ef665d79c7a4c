import type { App, RespondFn } from '@slack/bolt';
import { logFollowUp } from '../../../../domain/follow-ups/log-follow-up.js';
import { FOLLOW_UP_METHODS, formatLeadRef, type Locale } from '../../../../domain/leads/lead.js';
import { listMyLeads } from '../../../../domain/leads/list-my-leads.js';
import { t } from '../../../../i18n/catalog.js';
import { errorFields } from '../../../../infra/logger.js';
import { SLASH_COMMAND } from '../../../shared/action-ids.js';
import { type LeadCommand, parseLeadCommand } from '../../../shared/command-parser.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
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
      await run(deps, cmd, command.user_id, locale, reply);
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
  userId: string,
  locale: Locale,
  reply: (message: string) => ReturnType<RespondFn>,
): Promise<void> {
  const usage = t(locale, 'cmd.usage', { methods: FOLLOW_UP_METHODS.join(', ') });
  switch (cmd.kind) {
    case 'help':
      await reply(usage);
      return;
    case 'invalid':
      await reply(`${t(locale, cmd.problem, cmd.params)}\n\n${usage}`);
      return;
    case 'mine':
      await reply(await myLeadsText(deps, userId, locale));
      return;
    case 'log': {
      const { lead, dueAt } = await logFollowUp(deps, {
        leadId: cmd.leadId,
        slackUserId: userId,
        method: cmd.method,
        note: cmd.note,
      });
      const timeZone = deps.teams.find(lead.teamId)?.timeZone;
      await reply(t(locale, 'cmd.log.done', { method: cmd.method, ref: formatLeadRef(lead.id), due: dueAt }, timeZone));
    }
  }
}

async function myLeadsText(deps: SlackListenerDeps, userId: string, locale: Locale): Promise<string> {
  const leads = await listMyLeads(deps.store, userId);
  if (leads.length === 0) return t(locale, 'cmd.mine.empty');
  const lines = leads.slice(0, 50).map((lead) =>
    t(
      locale,
      'cmd.mine.line',
      {
        ref: formatLeadRef(lead.id),
        name: lead.name,
        company: lead.company ? ` (${lead.company})` : '',
        due: lead.followUpDueAt ?? '',
      },
      deps.teams.find(lead.teamId)?.timeZone,
    ),
  );
  return [t(locale, 'cmd.mine.header', { count: leads.length }), ...lines].join('\n');
}
