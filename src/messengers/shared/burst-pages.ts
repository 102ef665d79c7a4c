import type { TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { LeadPostStore } from '../../infra/outbox/lead-posts.js';
import { type BurstCardView, presentBurstPage } from './presenters/burst-card.presenter.js';

/** One page of a burst's summary: its leads, and which part of how many it is. */
export interface BurstPage {
  ids: number[];
  part: number;
  parts: number;
}

/**
 * A burst's leads (oldest first) in pages of at most `size`, as even as can be (21 leads in pages
 * of 20 are 11 and 10, never 20 and a lone 1): the same pages every time, as a burst is sealed
 * before it is paged. Only a burst of one lead has a page of one, and that is shown as its card.
 */
export function burstPages(ids: readonly number[], size: number): BurstPage[] {
  const parts = Math.ceil(ids.length / size);
  const small = Math.floor(ids.length / parts);
  const bigger = ids.length % parts; // the first `bigger` pages take one lead more
  let start = 0;
  return Array.from({ length: parts }, (_, i) => {
    const length = small + (i < bigger ? 1 : 0);
    const page = { ids: ids.slice(start, start + length), part: i + 1, parts };
    start += length;
    return page;
  });
}

/** The page of a burst that shows `leadId`. */
export async function pageShowing(
  posts: LeadPostStore,
  burstId: number,
  leadId: number,
  size: number,
): Promise<BurstPage | null> {
  return burstPages(await posts.burstLeads(burstId), size).find((p) => p.ids.includes(leadId)) ?? null;
}

/** A page as its leads are now; null when none of them can be read any more. */
export async function burstPageView(
  leads: LeadReadModel,
  team: TeamPolicy,
  page: BurstPage,
): Promise<BurstCardView | null> {
  const data = (await Promise.all(page.ids.map((id) => leads.cardData(id)))).filter((d) => d !== null);
  return data.length > 0 ? presentBurstPage(data, team, page) : null;
}
