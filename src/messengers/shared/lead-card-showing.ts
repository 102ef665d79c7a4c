import type { TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadCardData, LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { LeadPostStore, PostRef } from '../../infra/outbox/lead-posts.js';
import { type BurstPage, burstPageView, pageShowing } from './burst-pages.js';
import type { BurstCardView } from './presenters/burst-card.presenter.js';
import { type LeadCardView, presentLeadCard } from './presenters/lead-card.presenter.js';

export interface LeadCardDeps {
  leads: LeadReadModel;
  teams: TeamDirectory;
  posts: LeadPostStore;
}

/** How one messenger draws a lead's card and a page of a burst's summary. */
export interface CardDrawing<T> {
  messenger: string;
  burstPageSize: number;
  card(view: LeadCardView): T;
  burst(view: BurstCardView): T;
}

/**
 * The message that shows a lead in its team's chat, as it is now: its own card, or the page of its
 * burst's summary it is a line of. Null when there is nothing to show yet (its summary is not out).
 * A claim click's answer replaces the clicked message with this.
 */
export async function cardShowing<T>(
  deps: LeadCardDeps,
  draw: CardDrawing<T>,
  leadId: number,
  /** The lead as a use case just left it: no need to read it again. */
  known?: LeadCardData,
): Promise<T | null> {
  const data = known ?? (await deps.leads.cardData(leadId));
  const team = data && deps.teams.find(data.lead.teamId);
  if (!data || !team) return null;
  const post = data.posts ? (data.posts[draw.messenger] ?? null) : await deps.posts.find(leadId, draw.messenger);
  return cardFor(deps, draw, data, team, post);
}

/** As `cardShowing`, for a lead already read, with where its card is. */
export async function cardFor<T>(
  deps: LeadCardDeps,
  draw: CardDrawing<T>,
  data: LeadCardData,
  team: TeamPolicy,
  post: PostRef | null,
  /** Set when the lead's burst is being posted and the lead is a page of its own. */
  fromItsBurst = false,
): Promise<T | null> {
  if (post?.burstId) {
    const page = await pageShowing(deps.posts, post.burstId, data.lead.id, draw.burstPageSize);
    return page && burstCardFor(deps, draw, team, page);
  }
  // Its burst's summary has not gone out yet: it will show the lead as it is then.
  if (!post && data.lead.cardBurstId && !fromItsBurst) return null;
  return draw.card(presentLeadCard(data, team));
}

export async function burstCardFor<T>(
  deps: LeadCardDeps,
  draw: CardDrawing<T>,
  team: TeamPolicy,
  page: BurstPage,
): Promise<T | null> {
  const view = await burstPageView(deps.leads, team, page);
  return view && draw.burst(view);
}
