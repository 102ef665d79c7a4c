import type { CardDrawing } from '../shared/lead-card-showing.js';
import { LARK } from './identity.js';
import { buildBurstCard, LARK_BURST_PAGE } from './views/burst-card.card.js';
import type { LarkCard } from './views/lark-card.js';
import { buildLeadCard } from './views/lead-card.card.js';

/** Lead cards and summary pages as Lark cards. */
export const LARK_CARDS: CardDrawing<LarkCard> = {
  messenger: LARK,
  burstPageSize: LARK_BURST_PAGE,
  card: buildLeadCard,
  burst: buildBurstCard,
};
