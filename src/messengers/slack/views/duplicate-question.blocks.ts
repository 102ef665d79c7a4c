import type { types } from '@slack/bolt';
import type { DuplicateQuestionView } from '../../shared/presenters/duplicate-question.presenter.js';
import { fallbackText, mrkdwn, plainText } from './slack-text.js';

export const DUPLICATE_BLOCK_ID = 'lead_duplicate';

export function buildDuplicateQuestionBlocks(view: DuplicateQuestionView): {
  text: string;
  blocks: types.KnownBlock[];
} {
  return {
    text: fallbackText(view.text),
    blocks: [
      { type: 'section', text: mrkdwn(view.text) },
      {
        type: 'actions',
        block_id: DUPLICATE_BLOCK_ID,
        elements: view.buttons.map((b) => ({
          type: 'button' as const,
          action_id: b.actionId,
          value: b.value,
          text: plainText(b.label, 75),
          ...(b.style ? { style: b.style } : {}),
        })),
      },
    ],
  };
}
