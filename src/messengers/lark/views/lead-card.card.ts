import type { LeadCardView } from '../../shared/presenters/lead-card.presenter.js';
import { LARK } from '../identity.js';
import { button, type CardElement, card, type LarkCard, mentionBlocks, textBlock } from './lark-card.js';

export function buildLeadCard(view: LeadCardView): LarkCard {
  const elements: CardElement[] = view.fields.map((f) => textBlock(`${f.label}: ${f.value}`));
  elements.push(textBlock([view.score.summary, view.score.why].filter(Boolean).join('\n')));
  for (const note of view.notes) elements.push(textBlock(note, { size: 'notation' }));
  if (view.alert)
    elements.push(
      ...mentionBlocks(
        view.alert.label,
        view.alert.people.map((p) => ({
          name: p.name,
          userId: p.identities.find((i) => i.messenger === LARK)?.externalId,
        })),
      ),
    );
  elements.push(textBlock(view.status, { size: 'notation' }));
  if (view.claim)
    elements.push(button(view.claim.label, { action: view.claim.actionId, lead: view.claim.value }, 'primary'));
  if (view.followUp)
    elements.push(button(view.followUp.label, { action: view.followUp.actionId, lead: view.followUp.value }));
  return card(elements, { title: view.title, colour: view.claim ? 'blue' : 'grey' });
}
