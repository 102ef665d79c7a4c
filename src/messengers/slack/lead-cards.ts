import type { CardDrawing } from '../shared/lead-card-showing.js';
import { SLACK } from './identity.js';
import { buildBurstCardBlocks, SLACK_BURST_PAGE } from './views/burst-card.blocks.js';
import { buildLeadCardBlocks } from './views/lead-card.blocks.js';
import type { SlackMessage } from './views/slack-text.js';

/** Lead cards and summary pages as Slack messages. */
export const SLACK_CARDS: CardDrawing<SlackMessage> = {
  messenger: SLACK,
  burstPageSize: SLACK_BURST_PAGE,
  card: buildLeadCardBlocks,
  burst: buildBurstCardBlocks,
};
