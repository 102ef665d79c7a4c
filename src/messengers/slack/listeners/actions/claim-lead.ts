import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { claimLead } from '../../../../domain/claims/claim-lead.js';
import { errorFields } from '../../../../infra/logger.js';
import { ACTION_IDS, leadIdValue } from '../../../shared/action-ids.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { slackIdentity } from '../../identity.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';

const claimPayload = z.object({
  leadId: leadIdValue,
  userId: z.string().min(1),
  channelId: z.string().min(1),
  workspaceId: z.string().optional(),
});

/**
 * Claim button: acknowledge at once, then claim. The winner's card edit and DM go through the
 * outbox; anyone refused gets an ephemeral reason. Redelivered clicks are harmless because the
 * claim is a conditional write.
 */
export function registerClaimLeadAction(app: App, deps: SlackListenerDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.claimLead, async ({ ack, body, action, client }) => {
    await ack();
    const parsed = claimPayload.safeParse({
      leadId: action.value,
      userId: body.user.id,
      channelId: body.channel?.id,
      workspaceId: body.team?.id,
    });
    if (!parsed.success) {
      deps.log.warn('claim click with malformed payload ignored', { action: ACTION_IDS.claimLead });
      return;
    }
    const { leadId, userId, channelId, workspaceId } = parsed.data;
    try {
      await claimLead(deps, { leadId, actor: slackIdentity(userId, workspaceId) });
    } catch (error) {
      const shown = presentError(
        error,
        deps.directory.localeOf(userId),
        deps.directory.timeZoneOfDestination(channelId),
      );
      if (!shown.expected) deps.log.error('claim failed', { leadId, ...errorFields(error) });
      await client.chat.postEphemeral({ channel: channelId, user: userId, ...textMessage(shown.text) });
    }
  });
}
