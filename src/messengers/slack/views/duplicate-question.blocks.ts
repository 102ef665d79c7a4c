import type { types } from '@slack/bolt';
import type { DuplicateQuestionView } from '../../shared/presenters/duplicate-question.presenter.js';
import { clip, escapeMrkdwn } from './mrkdwn.js';

export const DUPLICATE_BLOCK_ID = 'lead_duplicate';

export function buildDuplicateQuestionBlocks(view: DuplicateQuestionView): {
  text: string;
  blocks: types.KnownBlock[];
} {
  return {
    text: clip(view.text, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(view.text), 3000) } },
      {
        type: 'actions',
        block_id: DUPLICATE_BLOCK_ID,
        elements: view.buttons.map((b) => ({
          type: 'button' as const,
          action_id: b.actionId,
          value: b.value,
          text: { type: 'plain_text' as const, text: clip(b.label, 75) },
          ...(b.style ? { style: b.style } : {}),
        })),
      },
    ],
  };
}
