import type { LeadPostStore } from '../../../domain/leads/lead-read-model.js';
import type { MessengerDeps } from '../../shared/messenger-deps.js';

/** What Slack listeners need: the shared messenger dependencies, and where lead cards were posted. */
export interface SlackListenerDeps extends MessengerDeps {
  posts: LeadPostStore;
}
