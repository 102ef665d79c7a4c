import { FORM_ACTIONS } from '../../shared/action-ids.js';
import type { FormField, NewLeadFormView } from '../../shared/presenters/new-lead-form.presenter.js';
import { type CardElement, card, type LarkCard, LIMITS, plainText } from './lark-card.js';
import { LARK_LIMITS } from './lark-limits.js';

/** One form field as a Card JSON 2.0 input; what was typed before is filled in again. */
export function formInput(field: FormField): CardElement {
  const label = plainText(field.label, LIMITS.title);
  if (field.kind === 'select') {
    const options = (field.options ?? [])
      .slice(0, 100)
      .map((o) => ({ text: plainText(o.label, LIMITS.button), value: o.value }));
    const chosen = options.some((o) => o.value === field.initial) ? { initial_option: field.initial } : {};
    return { tag: 'select_static', name: field.id, required: !field.optional, placeholder: label, options, ...chosen };
  }
  const long = field.kind === 'long_text';
  return {
    tag: 'input',
    name: field.id,
    required: !field.optional,
    label,
    input_type: long ? 'multiline_text' : 'text',
    max_length: long ? LARK_LIMITS.inputMaxLength : 200,
    ...(field.initial ? { default_value: field.initial.slice(0, long ? 2000 : 200) } : {}),
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
  return card([{ tag: 'form', name: 'new_lead', elements: [...view.fields.map(formInput), submit] }], {
    title: view.title,
  });
}
