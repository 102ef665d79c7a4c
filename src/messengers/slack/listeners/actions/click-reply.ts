import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import type { SlackMessage } from '../../views/slack-text.js';

/** How a click is answered: replacing the message it came from, or telling the person privately. */
export interface ClickReply {
  replace(message: SlackMessage): Promise<void>;
  tell(message: SlackMessage): Promise<void>;
}

/**
 * A click on a message carries a response URL to answer through; one in a view (the Home tab, a
 * modal) carries none, so the answer goes to the person's DM with the app instead.
 */
export function clickReply(body: BlockButtonAction, respond: RespondFn | undefined, client: App['client']): ClickReply {
  if (body.response_url && respond)
    return {
      replace: async (message) => void (await respond({ replace_original: true, ...message })),
      tell: async (message) =>
        void (await respond({ response_type: 'ephemeral', replace_original: false, ...message })),
    };
  const direct = async (message: SlackMessage) =>
    void (await client.chat.postMessage({ channel: body.user.id, ...message }));
  return { replace: direct, tell: direct };
}
