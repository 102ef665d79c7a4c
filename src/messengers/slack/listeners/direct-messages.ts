import type { App } from '@slack/bolt';
import { textMessage } from '../views/slack-text.js';
import { runSlackCommand } from './commands/lead-command.js';
import type { SlackListenerDeps } from './deps.js';

export const MESSAGE_EVENT = 'message';

interface DirectMessageEvent {
  channel_type?: string;
  channel?: string;
  user?: string;
  text?: string;
  subtype?: string;
  bot_id?: string;
  thread_ts?: string;
}

/**
 * A message typed to the app in its Messages tab (`message.im`) is a command, as in Lark: "mine",
 * "/lead find Acme", "我的". It is answered in the same DM (in the thread it came in, if any).
 * Messages of bots (ours included), edits and other subtypes, and channel messages are not commands.
 */
export function registerDirectMessages(app: App, deps: SlackListenerDeps): void {
  app.event(MESSAGE_EVENT, async ({ event, body, client }) => {
    const message = event as DirectMessageEvent;
    if (message.channel_type !== 'im' || message.subtype || message.bot_id || !message.user || !message.channel) {
      deps.log.debug('Slack message that is not a command to the app ignored', {
        channelType: message.channel_type ?? null,
        subtype: message.subtype ?? null,
      });
      return;
    }
    const channel = message.channel;
    const threadTs = message.thread_ts;
    await runSlackCommand(deps, client, {
      userId: message.user,
      teamId: String((body as { team_id?: unknown }).team_id ?? ''),
      channelId: channel,
      typed: message.text ?? '',
      reply: async (text) =>
        void (await client.chat.postMessage({
          channel,
          ...textMessage(text),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        })),
    });
  });
}
