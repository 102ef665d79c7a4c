import type { ClaimLatch } from '../../../domain/claims/claim-latch.js';
import type { IntakeStore } from '../../../domain/intake/intake-store.js';
import type { SourceCatalog } from '../../../domain/intake/sources.js';
import type { LeadStore, TeamDirectory } from '../../../domain/leads/lead-store.js';
import type { Clock } from '../../../domain/shared/clock.js';
import type { Logger } from '../../../infra/logger.js';
import type { MemberDirectory } from '../../shared/member-directory.js';

/** What Slack listeners need: use-case dependencies plus read access for replies. */
export interface SlackListenerDeps {
  store: LeadStore & IntakeStore;
  sources: SourceCatalog;
  teams: TeamDirectory;
  clock: Clock;
  directory: MemberDirectory;
  claims?: ClaimLatch;
  log: Logger;
}
