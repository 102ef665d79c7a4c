import type { App, BlockButtonAction, RespondFn } from '@slack/bolt';
import { z } from 'zod';
import { claimLead } from '../../../../domain/claims/claim-lead.js';
import { errorFields } from '../../../../infra/logger.js';
import { ACTION_IDS, leadIdValue } from '../../../shared/action-ids.js';
import { cardShowing } from '../../../shared/lead-card-showing.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { slackIdentity } from '../../identity.js';
import { SLACK_CARDS } from '../../lead-cards.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';

const claimPayload = z.object({
  leadId: leadIdValue,
  userId: z.string().min(1),
  channelId: z.string().min(1),
  workspaceId: z.string().optional(),
});

/**
 * Claim button: acknowledge at once, then claim. The winner's card is replaced at once through the
 * click's own response URL, which does not wait behind the channel's posting pace; the outbox's
 * edit and the DM follow (and the edit still comes if that reply fails). Anyone refused gets an
 * ephemeral reason. Redelivered clicks are harmless because the claim is a conditional write.
 */
export function registerClaimLeadAction(app: App, deps: SlackListenerDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.claimLead, async ({ ack, body, action, client, respond }) => {
    await ack();
    const parsed = claimPayload.safeParse({
      leadId: action.value,
      userId: body.user.id,
      channelId: body.channel?.id,
      // An org-wide install sends no team: the user's own workspace stands in.
      workspaceId: body.team?.id ?? body.user.team_id,
    });
    if (!parsed.success) {
      deps.log.warn('claim click with malformed payload ignored', { action: ACTION_IDS.claimLead });
      return;
    }
    const { leadId, userId, channelId, workspaceId } = parsed.data;
    try {
      // Only a click on a message carries a response URL to replace that message through.
      const replace = body.response_url ? () => replaceClickedCard(deps, leadId, respond) : undefined;
      await claimLead(deps, { leadId, actor: slackIdentity(userId, workspaceId) }, replace);
    } catch (error) {
      const shown = presentError(error, deps.directory.localeOf(userId), deps.directory.timeZoneOf(userId));
      if (!shown.expected) deps.log.error('claim failed', { leadId, ...errorFields(error) });
      await client.chat.postEphemeral({ channel: channelId, user: userId, ...textMessage(shown.text) });
    }
  });
}

async function replaceClickedCard(deps: SlackListenerDeps, leadId: number, respond: RespondFn): Promise<void> {
  try {
    const card = await cardShowing(deps, SLACK_CARDS, leadId);
    if (card) await respond({ replace_original: true, ...card });
  } catch (error) {
    deps.log.warn('claimed card not replaced through the click; the outbox edit follows', {
      leadId,
      ...errorFields(error),
    });
  }
}
