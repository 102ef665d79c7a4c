import type { ClaimLatch } from '../../domain/claims/claim-latch.js';
import type { IntakeStore } from '../../domain/intake/intake-store.js';
import type { SourceCatalog } from '../../domain/intake/sources.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { DeadLetterBox } from '../../domain/notifications/dead-letters.js';
import type { PolicyEditor } from '../../domain/policy/policy.js';
import type { ReportReader } from '../../domain/reports/funnel.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadStore } from '../../domain/store.js';
import type { Logger } from '../../infra/logger.js';
import type { MessengerMetrics } from '../../infra/metrics-events.js';
import type { MemberDirectory } from './member-directory.js';

/** What every messenger adapter's handlers need: the use cases' dependencies and the people directory. */
export interface MessengerDeps {
  store: LeadStore & IntakeStore;
  sources: SourceCatalog;
  teams: TeamDirectory;
  clock: Clock;
  directory: MemberDirectory;
  leads: LeadReadModel;
  /** The funnel's and digests' numbers, computed in the database. */
  reports: ReportReader;
  /** The outbox's given-up messages, for `/lead admin outbox`. */
  deadLetters: DeadLetterBox;
  /** Asks the outbox to deliver now (after messages were put back in the queue). */
  relayNow?: () => void;
  /** Gives new leads of system-assigned pools their owners after intake (see `IntakeDeps`). */
  assignFromPools?: (leadIds: readonly number[]) => Promise<void>;
  /** The policy in force, for admins to look at and change in chat (`/lead admin …`). */
  policy?: PolicyEditor;
  /** Shared by both messengers in a process: a burst of clicks on one lead stays cheap. */
  claims?: ClaimLatch;
  metrics?: MessengerMetrics;
  log: Logger;
}
