import type { LeadStore, TeamDirectory } from '../../../domain/leads/lead-store.js';
import type { Clock } from '../../../domain/shared/clock.js';
import type { Logger } from '../../../infra/logger.js';
import type { LeadReadModel } from '../../shared/ports.js';

/** What Slack listeners need: use-case dependencies plus read access for replies. */
export interface SlackListenerDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
  leads: LeadReadModel;
  log: Logger;
}
