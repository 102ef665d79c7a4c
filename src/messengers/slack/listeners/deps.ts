import type { LeadPostStore } from '../../../infra/outbox/lead-posts.js';
import type { MessengerDeps } from '../../shared/messenger-deps.js';

/** What Slack listeners need: the shared messenger dependencies, and where lead cards were posted. */
export interface SlackListenerDeps extends MessengerDeps {
  posts: LeadPostStore;
  /** With the install flow: forgets a workspace's (or organisation's) installation. */
  uninstalled?(from: UninstalledFrom): Promise<void>;
}

/** Where an uninstall came from, as Bolt read it from the event's body. */
export interface UninstalledFrom {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}
