import type { LeadPostStore } from '../../../infra/outbox/lead-posts.js';
import type { MessengerDeps } from '../../shared/messenger-deps.js';

/** What Slack listeners need: the shared messenger dependencies, and where lead cards were posted. */
export interface SlackListenerDeps extends MessengerDeps {
  posts: LeadPostStore;
}
