import { FORM_ACTIONS } from '../../shared/action-ids.js';
import type { FollowUpFormView } from '../../shared/presenters/follow-up-form.presenter.js';
import { type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';
import { formInput } from './new-lead-form.card.js';

/**
 * The "Log follow-up" form as a card. Its submit arrives as a card callback with `form_value` and
 * the lead in `value`; a refused submit is answered with this card again, what was typed kept and
 * each problem written under its field.
 */
export function buildFollowUpFormCard(view: FollowUpFormView): LarkCard {
  const fields = view.fields.flatMap((field) => {
    const problem = view.errors[field.id];
    return problem ? [formInput(field), textBlock(`⚠ ${problem}`, { size: 'notation' })] : [formInput(field)];
  });
  const submit: CardElement = {
    tag: 'button',
    name: 'submit',
    text: plainText(view.submit, LIMITS.button),
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value: { action: FORM_ACTIONS.followUpSubmit, lead: String(view.leadId) } }],
  };
  return card([textBlock(view.about), { tag: 'form', name: 'follow_up', elements: [...fields, submit] }], {
    title: view.title,
  });
}
