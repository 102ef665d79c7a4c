import type { App } from '@slack/bolt';
import type { Locale } from '../../../../domain/leads/lead.js';
import { t } from '../../../../i18n/catalog.js';
import { errorFields } from '../../../../infra/logger.js';
import { SLASH_COMMAND } from '../../../shared/action-ids.js';
import { parseLeadCommand } from '../../../shared/command-parser.js';
import { type FunnelAnswer, funnelAnswer } from '../../../shared/funnel-answer.js';
import { periodExportFile } from '../../../shared/period-export-file.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { answerTextCommand, funnelInput } from '../../../shared/text-commands.js';
import { uploadCharts } from '../../charts.js';
import { slackIdentity } from '../../identity.js';
import { fallbackText, textMessage } from '../../views/slack-text.js';
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
      if (cmd.kind === 'export') {
        await sendExport(deps, client, actor, cmd, locale, command.channel_id);
        await reply(t(locale, 'export.sent'));
        return;
      }
      if (cmd.kind === 'funnel') {
        const channelTeam = deps.directory.teamOfDestination(command.channel_id);
        const answer = await funnelAnswer(deps, funnelInput(cmd, actor, channelTeam), locale);
        await reply(`${answer.text}\n\n${t(locale, 'chart.sent_to_dm')}`);
        await sendChartsToDm(client, actor.externalId, answer).catch((error: unknown) =>
          deps.log.warn('funnel charts were not uploaded', errorFields(error)),
        );
        return;
      }
      const mentioned = (userId: string) => slackIdentity(userId, command.team_id);
      const timeZone = deps.directory.timeZoneOf(command.user_id);
      const channelTeam = deps.directory.teamOfDestination(command.channel_id);
      const context = { actor, locale, timeZone, mentioned, ...(channelTeam ? { channelTeam } : {}) };
      await reply(await answerTextCommand(deps, cmd, context));
    } catch (error) {
      const shown = presentError(error, locale, deps.directory.timeZoneOf(command.user_id));
      if (!shown.expected) deps.log.error('/lead failed', errorFields(error));
      await reply(shown.text);
    }
  });
}

/** The funnel's charts in the person's DM with the app: an ephemeral answer cannot carry uploaded images. */
async function sendChartsToDm(client: App['client'], userId: string, answer: FunnelAnswer): Promise<void> {
  const channel = await openDm(client, userId);
  const comment = answer.text.split('\n')[0] ?? '';
  await uploadCharts(client, { channel, comment }, answer.charts);
}

async function openDm(client: App['client'], userId: string): Promise<string> {
  const dm = await client.conversations.open({ users: userId });
  const channel = dm.channel?.id;
  if (!channel) throw new Error('Slack opened no DM channel');
  return channel;
}

/** The export as a file in the person's DM with the app: the lead data never lands in a shared channel. */
async function sendExport(
  deps: SlackListenerDeps,
  client: App['client'],
  actor: ReturnType<typeof slackIdentity>,
  cmd: { team?: string; period: string },
  locale: Locale,
  channelId: string,
): Promise<void> {
  const channelTeam = deps.directory.teamOfDestination(channelId);
  const file = await periodExportFile(deps, actor, { ...cmd, channelTeam }, locale);
  const channel = await openDm(client, actor.externalId);
  await client.files.uploadV2({
    channel_id: channel,
    file: file.content,
    filename: file.filename,
    title: file.filename,
    initial_comment: fallbackText(file.comment),
  });
}
