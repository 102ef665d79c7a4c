import type { BurstCardView } from '../../shared/presenters/burst-card.presenter.js';
import { button, type CardElement, card, type LarkCard, textBlock } from './lark-card.js';

/** Leads per page of a summary on Lark: fifteen of the longest lines (in Chinese, 3 bytes a character) stay inside a card's 30 KB. */
export const LARK_BURST_PAGE = 15;

export function buildBurstCard(view: BurstCardView): LarkCard {
  const elements: CardElement[] = [textBlock(view.intro, { size: 'notation' })];
  for (const line of view.lines) {
    elements.push(textBlock([line.title, line.detail, line.status].filter(Boolean).join('\n')));
    if (line.claim)
      elements.push(button(line.claim.label, { action: line.claim.actionId, lead: line.claim.value }, 'primary'));
  }
  return card(elements, { title: view.title, colour: view.lines.some((l) => l.claim) ? 'blue' : 'grey' });
}
