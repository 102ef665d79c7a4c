import { FORM_ACTIONS } from '../../shared/action-ids.js';
import type { FormField, NewLeadFormView } from '../../shared/presenters/new-lead-form.presenter.js';
import { type CardElement, card, type LarkCard, LIMITS, plainText } from './lark-card.js';

function input(field: FormField): CardElement {
  const label = plainText(field.label, LIMITS.title);
  if (field.kind === 'select')
    return {
      tag: 'select_static',
      name: field.id,
      required: !field.optional,
      placeholder: label,
      options: (field.options ?? [])
        .slice(0, 100)
        .map((o) => ({ text: plainText(o.label, LIMITS.button), value: o.value })),
    };
  return {
    tag: 'input',
    name: field.id,
    required: !field.optional,
    label,
    input_type: field.kind === 'long_text' ? 'multiline_text' : 'text',
    max_length: field.kind === 'long_text' ? 2000 : 200,
  };
}

/** The "New lead" form; its submit arrives as a card callback with `form_value`, the team in `value`. */
export function buildNewLeadFormCard(view: NewLeadFormView): LarkCard {
  const submit: CardElement = {
    tag: 'button',
    name: 'submit',
    text: plainText(view.submit, LIMITS.button),
    type: 'primary',
    form_action_type: 'submit',
    behaviors: [{ type: 'callback', value: { action: FORM_ACTIONS.newLeadSubmit, team: view.team ?? '' } }],
  };
  return card([{ tag: 'form', name: 'new_lead', elements: [...view.fields.map(input), submit] }], {
    title: view.title,
  });
}
