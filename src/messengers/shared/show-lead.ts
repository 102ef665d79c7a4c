import type { Locale } from '../../domain/leads/lead.js';
import { showLead } from '../../domain/leads/show-lead.js';
import { requireTeam } from '../../domain/leads/team-policy.js';
import type { Identity } from '../../domain/members/identity.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentLeadDetail } from './presenters/lead-detail.presenter.js';

/** `/lead show <lead>` for the person asking, as text both messengers render. */
export async function presentShown(
  deps: MessengerDeps,
  actor: Identity,
  leadId: number,
  locale: Locale,
  timeZone: string,
): Promise<string> {
  const detail = await showLead(deps, { leadId, actor });
  return presentLeadDetail(detail, requireTeam(deps.teams, detail.lead.teamId), locale, timeZone);
}
