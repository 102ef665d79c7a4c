import type { SourceCatalog } from '../../domain/intake/sources.js';
import type { Locale } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { LeadStore, TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import { buildDigest } from '../../domain/reports/digest.js';
import { slotDueAt } from '../../domain/reports/digest-schedule.js';
import type { ReportReader } from '../../domain/reports/funnel.js';
import type { Clock } from '../../domain/shared/clock.js';
import { type ChartsView, presentCharts } from './presenters/charts.presenter.js';
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

/** A digest as its recipient reads it: the text and buttons, and the charts drawn from the same numbers. */
export interface DigestView {
  view: HomeView;
  charts: ChartsView;
  locale: Locale;
}

/** A queued digest, rendered for its recipient now; null when the recipient or team is gone. */
export async function digestViewFor(
  deps: DigestViewDeps,
  notification: Extract<Notification, { kind: 'member.digest' }>,
): Promise<DigestView | null> {
  const [recipient, team] = [await deps.leads.member(notification.memberId), deps.teams.find(notification.teamId)];
  if (!recipient || !team) return null;
  const digest = await buildDigest(deps, notification);
  const { locale } = recipient;
  const dueAt = slotDueAt(team, notification.digest, notification.periodKey);
  return { view: presentDigest(digest, locale, dueAt), charts: presentCharts(digest.funnel, locale), locale };
}
