import type { TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadCardData, LeadPostStore, LeadReadModel, PostRef } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import { type BurstPage, burstPageView, pageShowing } from '../shared/burst-pages.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { SLACK } from './identity.js';
import { buildBurstCardBlocks, SLACK_BURST_PAGE } from './views/burst-card.blocks.js';
import { buildLeadCardBlocks } from './views/lead-card.blocks.js';
import type { SlackMessage } from './views/slack-text.js';

export interface SlackCardDeps {
  leads: LeadReadModel;
  teams: TeamDirectory;
  posts: LeadPostStore;
}

/**
 * The message that shows a lead in its team's channel, as it is now: its own card, or the page of
 * its burst's summary it is a line of. Null when there is nothing to show yet (its summary is not
 * out). A claim click replaces the clicked message with this through its own response URL.
 */
export async function slackCardShowing(deps: SlackCardDeps, leadId: number): Promise<SlackMessage | null> {
  const data = await deps.leads.cardData(leadId);
  const team = data && deps.teams.find(data.lead.teamId);
  return data && team ? slackCardFor(deps, data, team, await deps.posts.find(leadId, SLACK)) : null;
}

/** As `slackCardShowing`, for a lead already read, with where its card is. */
export async function slackCardFor(
  deps: SlackCardDeps,
  data: LeadCardData,
  team: TeamPolicy,
  post: PostRef | null,
): Promise<SlackMessage | null> {
  if (post?.burstId) {
    const page = await pageShowing(deps.posts, post.burstId, data.lead.id, SLACK_BURST_PAGE);
    return page && slackBurstMessage(deps, team, page);
  }
  // Its burst's summary has not gone out yet: it will show the lead as it is then.
  if (!post && data.lead.cardBurstId) return null;
  return buildLeadCardBlocks(presentLeadCard(data, team));
}

export async function slackBurstMessage(
  deps: SlackCardDeps,
  team: TeamPolicy,
  page: BurstPage,
): Promise<SlackMessage | null> {
  const view = await burstPageView(deps.leads, team, page);
  return view && buildBurstCardBlocks(view);
}
