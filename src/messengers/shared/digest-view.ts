import type { SourceCatalog } from '../../domain/intake/sources.js';
import type { Locale } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { DeadLetterBox } from '../../domain/notifications/dead-letters.js';
import type { DigestSlot } from '../../domain/notifications/notification.js';
import { buildDigest } from '../../domain/reports/digest.js';
import { slotDueAt } from '../../domain/reports/digest-schedule.js';
import type { ReportReader } from '../../domain/reports/funnel.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadStore } from '../../domain/store.js';
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
  /** Counted into the digest, so managers learn when messages are not getting through. */
  deadLetters?: Pick<DeadLetterBox, 'count'>;
}

/** A digest as its recipient reads it: the text and buttons, and the charts drawn from the same numbers. */
export interface DigestView {
  view: HomeView;
  charts: ChartsView;
  locale: Locale;
}

/** A queued digest, rendered now in the reader's language; null when the team is gone. */
export async function digestViewFor(
  deps: DigestViewDeps,
  slot: DigestSlot,
  locale: Locale,
): Promise<DigestView | null> {
  const team = deps.teams.find(slot.teamId);
  if (!team) return null;
  const digest = await buildDigest(deps, slot);
  const dueAt = slotDueAt(team, slot.digest, slot.periodKey);
  return { view: presentDigest(digest, locale, dueAt), charts: presentCharts(digest.funnel, locale), locale };
}
