import type { App } from '@slack/bolt';
import type { SlackListenerDeps, UninstalledFrom } from './deps.js';

export const UNINSTALLED_EVENT = 'app_uninstalled';
export const TOKENS_REVOKED_EVENT = 'tokens_revoked';

/**
 * The app was removed from a workspace (or an organisation), or its bot token revoked: its
 * installation is forgotten, so nothing more is sent there. Revoking only people's tokens leaves
 * the bot's. Bolt delivers these two events without looking for an installation first.
 */
export function registerUninstall(app: App, deps: SlackListenerDeps): void {
  const forget = async (from: UninstalledFrom, why: string) => {
    if (!deps.uninstalled) {
      deps.log.warn('Slack app removed from its workspace: set a new SLACK_BOT_TOKEN once it is installed again', {
        ...from,
        why,
      });
      return;
    }
    deps.log.warn('Slack app removed from a workspace: its installation is forgotten', { ...from, why });
    await deps.uninstalled(from);
  };
  app.event(UNINSTALLED_EVENT, async ({ context }) => forget(fromContext(context), UNINSTALLED_EVENT));
  app.event(TOKENS_REVOKED_EVENT, async ({ event, context }) => {
    if ((event.tokens.bot ?? []).length > 0) await forget(fromContext(context), TOKENS_REVOKED_EVENT);
  });
}

function fromContext(context: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }) {
  return {
    ...(context.teamId ? { teamId: context.teamId } : {}),
    ...(context.enterpriseId ? { enterpriseId: context.enterpriseId } : {}),
    isEnterpriseInstall: context.isEnterpriseInstall === true,
  };
}
