import type { App } from '@slack/bolt';
import { t } from '../../../../i18n/catalog.js';
import { VIEW_IDS } from '../../../shared/action-ids.js';
import { newLeadForm } from '../../../shared/interactions.js';
import { slackIdentity } from '../../identity.js';
import { buildFormModal } from '../../views/form-modal.blocks.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';

/**
 * Opens the "New lead" form (its submission is a row of the shared table); call it right after
 * ack(), before anything slow: trigger_id lasts 3 s. Returns why not, for someone in no team.
 */
export async function openNewLeadModal(
  deps: SlackListenerDeps,
  client: App['client'],
  triggerId: string,
  userId: string,
  workspaceId?: string,
): Promise<string | null> {
  const locale = deps.directory.localeOf(userId);
  const form = newLeadForm(deps, slackIdentity(userId, workspaceId), locale);
  if (!form) return t(locale, 'modal.no_team');
  await client.views.open({ trigger_id: triggerId, view: buildFormModal(form) });
  return null;
}

export function registerNewLeadShortcut(app: App, deps: SlackListenerDeps): void {
  app.shortcut(VIEW_IDS.newLeadShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    const refused = await openNewLeadModal(deps, client, shortcut.trigger_id, shortcut.user.id, shortcut.team?.id);
    if (refused) await client.chat.postMessage({ channel: shortcut.user.id, ...textMessage(refused) });
  });
}
