import type { App } from '@slack/bolt';
import type { Locale } from '../../../../domain/leads/lead.js';
import { t } from '../../../../i18n/catalog.js';
import { errorFields } from '../../../../infra/logger.js';
import { SLASH_COMMAND } from '../../../shared/action-ids.js';
import { languageOfCommand, parseLeadCommand } from '../../../shared/command-parser.js';
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
    await runSlackCommand(deps, client, {
      userId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      typed: command.text ?? '',
      triggerId: command.trigger_id,
      reply: async (message) => void (await respond({ response_type: 'ephemeral', ...textMessage(message) })),
    });
  });
}

/** Where a command was typed and how to answer it: the slash command's response URL, or the DM it came in. */
export interface SlackCommandRequest {
  userId: string;
  teamId: string;
  channelId: string;
  /** What the person typed after `/lead` (or to the app). */
  typed: string;
  /** Only a slash command has one: a form can be opened for it. */
  triggerId?: string;
  reply: (message: string) => Promise<void>;
}

/** One command, typed as `/lead …` or sent to the app's DM: parsed, run and answered the same way. */
export async function runSlackCommand(
  deps: SlackListenerDeps,
  client: App['client'],
  request: SlackCommandRequest,
): Promise<void> {
  const { userId, teamId, channelId, reply } = request;
  const locale = languageOfCommand(request.typed) ?? deps.directory.localeOf(userId);
  try {
    const cmd = parseLeadCommand(request.typed);
    if (cmd.kind === 'new') {
      const refused = request.triggerId
        ? await openNewLeadModal(deps, client, request.triggerId, userId, teamId)
        : t(locale, 'dm.new_needs_form');
      if (refused) await reply(refused);
      return;
    }
    const actor = slackIdentity(userId, teamId);
    const channelTeam = deps.directory.teamOfDestination(channelId);
    if (cmd.kind === 'export') {
      await sendExport(deps, client, actor, cmd, locale, channelId);
      await reply(t(locale, 'export.sent'));
      return;
    }
    if (cmd.kind === 'funnel') {
      const answer = await funnelAnswer(deps, funnelInput(cmd, actor, channelTeam), locale);
      await reply(`${answer.text}\n\n${t(locale, 'chart.sent_to_dm')}`);
      await sendChartsToDm(client, actor.externalId, answer).catch((error: unknown) =>
        deps.log.warn('funnel charts were not uploaded', errorFields(error)),
      );
      return;
    }
    const mentioned = (id: string) => slackIdentity(id, teamId);
    const timeZone = deps.directory.timeZoneOf(userId);
    const context = { actor, locale, timeZone, mentioned, ...(channelTeam ? { channelTeam } : {}) };
    await reply(await answerTextCommand(deps, cmd, context));
  } catch (error) {
    const shown = presentError(error, locale, deps.directory.timeZoneOf(userId));
    if (!shown.expected) deps.log.error('/lead failed', errorFields(error));
    await reply(shown.text);
  }
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
