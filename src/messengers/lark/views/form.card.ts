import type { FormField, FormView } from '../../shared/interaction.js';
import { button, type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';
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
    ...(field.initial ? { default_value: field.initial.slice(0, long ? LARK_LIMITS.inputMaxLength : 200) } : {}),
  };
}

/**
 * A form as a card. Its submit arrives as a card callback with `form_value`, and in `value` the
 * form's action and the lead or team it carries; a refused submit is answered with this card
 * again, what was typed kept and each problem written under its field (or above the button).
 */
export function buildFormCard(form: FormView): LarkCard {
  const ids = new Set(form.fields.map((f) => f.id));
  const problem = (text: string | undefined) => (text ? [textBlock(`⚠ ${text}`, { size: 'notation' })] : []);
  const fields = form.fields.flatMap((field) => [formInput(field), ...problem(form.errors[field.id])]);
  const others = Object.entries(form.errors).flatMap(([id, text]) => (ids.has(id) ? [] : problem(text)));
  const carried: Record<string, string> =
    'lead' in form.carries ? { lead: String(form.carries.lead) } : { team: form.carries.team ?? '' };
  const submit: CardElement = {
    ...button(form.submit, { action: form.submitId, ...carried }, 'primary'),
    name: 'submit',
    form_action_type: 'submit',
  };
  const about = form.about ? [textBlock(form.about)] : [];
  return card([...about, { tag: 'form', name: 'form', elements: [...fields, ...others, submit] }], {
    title: form.title,
  });
}
