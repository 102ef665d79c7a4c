import type { MessengerDeps } from '../../shared/messenger-deps.js';

/** What Slack listeners need: the shared messenger dependencies; nothing Slack-only yet. */
export type SlackListenerDeps = MessengerDeps;
