import type { App } from '@slack/bolt';
import { homeFor } from '../../shared/home.js';
import { slackIdentity } from '../identity.js';
import { buildHomeView } from '../views/home.blocks.js';
import type { SlackListenerDeps } from './deps.js';

export const HOME_EVENT = 'app_home_opened';

/**
 * The App Home tab: published when the person opens it (and by the outbox after each change to
 * their desk, see the notifier). Its buttons are rows of the shared interaction table.
 */
export function registerHome(app: App, deps: SlackListenerDeps): void {
  app.event(HOME_EVENT, async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const who = slackIdentity(event.user, body.team_id);
    const view = buildHomeView(
      await homeFor(deps, who, deps.directory.localeOf(event.user), deps.directory.timeZoneOf(event.user)),
    );
    await client.views.publish({ user_id: event.user, view });
  });
}
