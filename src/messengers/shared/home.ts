import { loadDesk } from '../../domain/leads/desk.js';
import type { Locale } from '../../domain/leads/lead.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Identity } from '../../domain/members/identity.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadStore } from '../../domain/store.js';
import { type HomeView, presentHome } from './presenters/home.presenter.js';

export interface HomeDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
}

/** The home view of the person behind `who`, now, in their language and time zone. */
export async function homeFor(deps: HomeDeps, who: Identity, locale: Locale, timeZone: string): Promise<HomeView> {
  const now = deps.clock.now();
  return presentHome(await loadDesk(deps, who, now), deps.teams, { locale, timeZone }, now);
}
