import type { TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadCardData, LeadPostStore, LeadReadModel, PostRef } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import { type BurstPage, burstPageView, pageShowing } from '../shared/burst-pages.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { LARK } from './identity.js';
import { buildBurstCard, LARK_BURST_PAGE } from './views/burst-card.card.js';
import type { LarkCard } from './views/lark-card.js';
import { buildLeadCard } from './views/lead-card.card.js';

export interface LeadCardDeps {
  leads: LeadReadModel;
  teams: TeamDirectory;
  posts: LeadPostStore;
}

/**
 * The card that shows a lead in its team's chat, as it is now: its own card, or the page of its
 * burst's summary it is a line of. A click answer replaces the clicked card with this.
 */
export async function cardShowing(deps: LeadCardDeps, leadId: number): Promise<LarkCard | null> {
  const data = await deps.leads.cardData(leadId);
  const team = data && deps.teams.find(data.lead.teamId);
  return data && team ? cardFor(deps, data, team, await deps.posts.find(leadId, LARK)) : null;
}

/** As `cardShowing`, for a lead already read, with where its card is. */
export async function cardFor(
  deps: LeadCardDeps,
  data: LeadCardData,
  team: TeamPolicy,
  post: PostRef | null,
): Promise<LarkCard | null> {
  if (!post?.burstId) return buildLeadCard(presentLeadCard(data, team));
  const page = await pageShowing(deps.posts, post.burstId, data.lead.id, LARK_BURST_PAGE);
  return page && burstCard(deps, team, page);
}

export async function burstCard(deps: LeadCardDeps, team: TeamPolicy, page: BurstPage): Promise<LarkCard | null> {
  const view = await burstPageView(deps.leads, team, page);
  return view && buildBurstCard(view);
}
