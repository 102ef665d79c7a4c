import type { types } from '@slack/bolt';

type KnownBlock = types.KnownBlock;

import type { LeadCardView } from '../../shared/presenters/lead-card.presenter.js';

import { SLACK } from '../identity.js';
import { boldFirstLine, fallbackText, mentionLine, mrkdwn, plainText } from './slack-text.js';

// Block Kit limits: header 150 chars, section field 2000, up to 10 fields, button text 75.

export function buildLeadCardBlocks(view: LeadCardView): { text: string; blocks: KnownBlock[] } {
  const blocks: KnownBlock[] = [{ type: 'header', text: plainText(view.title, 150) }];
  if (view.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: view.fields.slice(0, 10).map((f) => boldFirstLine([f.label, f.value], 2000)),
    });
  }
  blocks.push({ type: 'section', block_id: 'lead_score', text: boldFirstLine([view.score.summary, view.score.why]) });
  if (view.alert) {
    const people = view.alert.people.map((p) => ({
      name: p.name,
      userId: p.identities.find((i) => i.messenger === SLACK)?.externalId,
    }));
    blocks.push({ type: 'section', block_id: 'lead_alert', text: mentionLine(view.alert.label, people) });
  }
  const context = [...view.notes, view.status].map((text) => mrkdwn(text));
  blocks.push({ type: 'context', elements: context.slice(0, 10) });
  const buttons = [view.claim, view.followUp].flatMap((b) => (b ? [b] : []));
  if (buttons.length > 0) {
    blocks.push({
      type: 'actions',
      block_id: 'lead_actions',
      elements: buttons.map((b) => ({
        type: 'button' as const,
        ...(b === view.claim ? { style: 'primary' as const } : {}),
        action_id: b.actionId,
        value: b.value,
        text: plainText(b.label, 75),
      })),
    });
  }
  return { text: fallbackText(view.fallbackText), blocks };
}
