import { FORM_ACTIONS } from '../../shared/action-ids.js';
import type { FollowUpFormView } from '../../shared/presenters/follow-up-form.presenter.js';
import type { FormField } from '../../shared/presenters/new-lead-form.presenter.js';
import { type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';

function input(field: FormField): CardElement {
  const label = plainText(field.label, LIMITS.title);
  if (field.kind === 'select') {
    const options = (field.options ?? []).map((o) => ({ text: plainText(o.label, LIMITS.button), value: o.value }));
    const chosen = options.some((o) => o.value === field.initial) ? { initial_option: field.initial } : {};
    return { tag: 'select_static', name: field.id, required: !field.optional, placeholder: label, options, ...chosen };
  }
  return {
    tag: 'input',
    name: field.id,
    required: !field.optional,
    label,
    input_type: field.kind === 'long_text' ? 'multiline_text' : 'text',
    max_length: 2000,
    ...(field.initial ? { default_value: field.initial.slice(0, 2000) } : {}),
  };
}

/**
 * The "Log follow-up" form as a card. Its submit arrives as a card callback with `form_value` and
 * the lead in `value`; a refused submit is answered with this card again, what was typed kept and
 * each problem written under its field.
 */
export function buildFollowUpFormCard(view: FollowUpFormView): LarkCard {
  const fields = view.fields.flatMap((field) => {
    const problem = view.errors[field.id];
    return problem ? [input(field), textBlock(`⚠ ${problem}`, { size: 'notation' })] : [input(field)];
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
