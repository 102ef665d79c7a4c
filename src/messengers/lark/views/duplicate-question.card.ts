import type { DuplicateQuestionView } from '../../shared/presenters/duplicate-question.presenter.js';
import { button, card, type LarkCard, textBlock } from './lark-card.js';

export function buildDuplicateQuestionCard(view: DuplicateQuestionView): LarkCard {
  const buttons = view.buttons.map((b) =>
    button(
      b.label,
      { action: b.actionId, lead: b.value },
      b.style === 'primary' ? 'primary' : b.style === 'danger' ? 'danger' : 'default',
    ),
  );
  return card([textBlock(view.text), ...buttons], { title: view.title, colour: 'orange' });
}
