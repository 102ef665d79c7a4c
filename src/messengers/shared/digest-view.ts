import type { SourceCatalog } from '../../domain/intake/sources.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { LeadStore, TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import { buildDigest } from '../../domain/reports/digest.js';
import { slotDueAt } from '../../domain/reports/digest-schedule.js';
import type { ReportReader } from '../../domain/reports/funnel.js';
import type { Clock } from '../../domain/shared/clock.js';
import { presentDigest } from './presenters/digest.presenter.js';
import type { HomeView } from './presenters/home.presenter.js';

export interface DigestViewDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
  sources: SourceCatalog;
  reports: ReportReader;
  leads: LeadReadModel;
}

/** A queued digest, rendered for its recipient now; null when the recipient or team is gone. */
export async function digestViewFor(
  deps: DigestViewDeps,
  notification: Extract<Notification, { kind: 'member.digest' }>,
): Promise<HomeView | null> {
  const [recipient, team] = [await deps.leads.member(notification.memberId), deps.teams.find(notification.teamId)];
  if (!recipient || !team) return null;
  const digest = await buildDigest(deps, notification);
  return presentDigest(digest, recipient.locale, slotDueAt(team, notification.digest, notification.periodKey));
}
