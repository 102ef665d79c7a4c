import type { CardDrawing } from '../shared/lead-card-showing.js';
import type { BurstCardView } from '../shared/presenters/burst-card.presenter.js';
import type { LeadCardView } from '../shared/presenters/lead-card.presenter.js';
import { WEB } from './identity.js';

/** A lead's card or a summary page as the page draws it: the neutral view itself, as JSON. */
export type WebCard = { kind: 'card'; view: LeadCardView } | { kind: 'burst'; view: BurstCardView };

/** How many leads a summary page lists in the browser (a page has room; Slack's is 10 for its block limit). */
export const WEB_BURST_PAGE = 20;

export const WEB_CARDS: CardDrawing<WebCard> = {
  messenger: WEB,
  burstPageSize: WEB_BURST_PAGE,
  card: (view) => ({ kind: 'card', view }),
  burst: (view) => ({ kind: 'burst', view }),
};
