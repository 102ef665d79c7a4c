import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

import type { LeadCardView } from '../../shared/presenters/lead-card.presenter.js';

import { clip, escapeMrkdwn, fallbackText, mrkdwn, plainText } from './slack-text.js';

// Block Kit limits: header 150 chars, section field 2000, up to 10 fields, button text 75.

export function buildLeadCardBlocks(view: LeadCardView): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [{ type: 'header', text: plainText(view.title, 150) }];
  if (view.fields.length > 0) {
    blocks.push({
      type: 'section',
      // The label is ours and bold; the value is escaped like all outside text.
      fields: view.fields.slice(0, 10).map((f) => ({
        type: 'mrkdwn' as const,
        text: clip(`*${escapeMrkdwn(f.label)}*\n${escapeMrkdwn(f.value)}`, 2000),
        verbatim: true,
      })),
    });
  }
  const score = [`*${escapeMrkdwn(view.score.summary)}*`, view.score.why ? escapeMrkdwn(view.score.why) : null];
  blocks.push({
    type: 'section',
    block_id: 'lead_score',
    text: { type: 'mrkdwn', text: clip(score.filter(Boolean).join('\n'), 3000), verbatim: true },
  });
  const context = [...view.notes, view.status].map((text) => mrkdwn(text));
  blocks.push({ type: 'context', elements: context.slice(0, 10) });
  if (view.claim) {
    blocks.push({
      type: 'actions',
      block_id: 'lead_actions',
      elements: [
        {
          type: 'button',
          style: 'primary',
          action_id: view.claim.actionId,
          value: view.claim.value,
          text: plainText(view.claim.label, 75),
        },
      ],
    });
  }
  return { text: fallbackText(view.fallbackText), blocks };
}
