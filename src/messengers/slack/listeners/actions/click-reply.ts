import type { App, BlockButtonAction, ButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import type { Identity } from '../../../../domain/members/identity.js';
import { leadIdValue } from '../../../shared/action-ids.js';
import { slackIdentity } from '../../identity.js';
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

const leadClickSchema = z.object({
  leadId: leadIdValue,
  userId: z.string().min(1),
  workspaceId: z.string().optional(),
});

/** A click on a button about one lead: the lead, who clicked, and their locale key; null when malformed. */
export function leadClick(
  body: BlockButtonAction,
  action: ButtonAction,
): { leadId: number; userId: string; actor: Identity } | null {
  const parsed = leadClickSchema.safeParse({
    leadId: action.value,
    userId: body.user.id,
    // An org-wide install sends no team: the user's own workspace stands in.
    workspaceId: body.team?.id ?? body.user.team_id,
  });
  if (!parsed.success) return null;
  const { leadId, userId, workspaceId } = parsed.data;
  return { leadId, userId, actor: slackIdentity(userId, workspaceId) };
}
