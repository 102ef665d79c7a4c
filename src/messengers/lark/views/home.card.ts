import type { HomeView } from '../../shared/presenters/home.presenter.js';
import { button, type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';

/** Lark cards stay well inside their size limit with the desk's lists (20 leads each). */
export function buildHomeCard(view: HomeView): LarkCard {
  const elements: CardElement[] = [textBlock(view.summary, { size: 'notation' })];
  for (const section of view.sections) {
    elements.push({ tag: 'hr' }, textBlock(section.heading));
    if (section.empty) elements.push(textBlock(section.empty, { size: 'notation' }));
    for (const item of section.items) {
      elements.push(textBlock(item.text));
      if (item.buttons.length > 0)
        elements.push({
          tag: 'column_set',
          columns: item.buttons.map((b) => ({
            tag: 'column',
            width: 'auto',
            elements: [button(b.label, { action: b.actionId, [b.valueKind ?? 'lead']: b.value })],
          })),
        });
    }
    if (section.more) elements.push(textBlock(section.more, { size: 'notation' }));
  }
  return card(elements, { title: view.title });
}

/** A one-field form about one lead (why it is released, whom it goes to); its submit carries the lead in `value`. */
export function buildOneFieldFormCard(o: {
  title: string;
  about: string;
  field: CardElement;
  submit: string;
  leadId: number;
  action: string;
  problem?: string;
}): LarkCard {
  const submit: CardElement = {
    ...button(o.submit, { action: o.action, lead: String(o.leadId) }, 'primary'),
    name: 'submit',
    form_action_type: 'submit',
  };
  const problem = o.problem ? [textBlock(`⚠ ${o.problem}`, { size: 'notation' })] : [];
  return card([textBlock(o.about), { tag: 'form', name: 'one_field', elements: [o.field, ...problem, submit] }], {
    title: o.title,
  });
}

/** A required reason, as a form input. */
export function reasonInput(label: string): CardElement {
  return {
    tag: 'input',
    name: 'reason',
    required: true,
    label: plainText(label, LIMITS.title),
    input_type: 'multiline_text',
    max_length: 2000,
  };
}

/** A required choice among members, as a form select. */
export function memberSelect(label: string, members: readonly { id: string; name: string }[]): CardElement {
  return {
    tag: 'select_static',
    name: 'member',
    required: true,
    placeholder: plainText(label, LIMITS.title),
    options: members.slice(0, 100).map((m) => ({ text: plainText(m.name, LIMITS.button), value: m.id })),
  };
}
