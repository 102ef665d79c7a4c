import type { types } from '@slack/bolt';
import type { BurstCardView } from '../../shared/presenters/burst-card.presenter.js';
import { boldFirstLine, fallbackText, mrkdwn, plainText, type SlackMessage } from './slack-text.js';

/**
 * Leads per page of a summary on Slack: a header, the intro and a section per lead stay inside the
 * 50 blocks a message may have, with room to spare.
 */
export const SLACK_BURST_PAGE = 40;

export function buildBurstCardBlocks(view: BurstCardView): SlackMessage {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plainText(view.title, 150) },
    { type: 'context', elements: [mrkdwn(view.intro)] },
  ];
  for (const line of view.lines) {
    const section: types.SectionBlock = {
      type: 'section',
      block_id: `burst_lead_${line.leadId}`,
      text: boldFirstLine([line.title, line.detail, line.status]),
    };
    if (line.claim)
      section.accessory = {
        type: 'button',
        style: 'primary',
        action_id: line.claim.actionId,
        value: line.claim.value,
        text: plainText(line.claim.label, 75),
      };
    blocks.push(section);
  }
  return { text: fallbackText(view.fallbackText), blocks };
}
