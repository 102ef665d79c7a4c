import type { LeadFormView } from '../../shared/lead-forms.js';
import { condenseItems, type HomeItem, type HomeView } from '../../shared/presenters/home.presenter.js';
import type { FormField } from '../../shared/presenters/new-lead-form.presenter.js';
import { button, type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';
import { fitGroups, LARK_LIMITS } from './lark-limits.js';

/**
 * The desk (or a digest) as a card: its lines condensed, its lists cut with a "more" line where the
 * card would pass Lark's 200 elements or 30 KB.
 */
export function buildHomeCard(view: HomeView): LarkCard {
  const groups: CardElement[][] = [[textBlock(view.summary, { size: 'notation' })]];
  for (const section of view.sections) {
    groups.push([{ tag: 'hr' }, textBlock(section.heading)]);
    if (section.empty) groups.push([textBlock(section.empty, { size: 'notation' })]);
    groups.push(...itemGroups(section.items));
    if (section.more) groups.push([textBlock(section.more, { size: 'notation' })]);
  }
  const cut = textBlock(view.cut, { size: 'notation' });
  return fitGroups(groups, cut, (elements) => card(elements, { title: view.title }));
}

/** An item with buttons is its text and a row of buttons; lines without buttons share one text block. */
function itemGroups(items: readonly HomeItem[]): CardElement[][] {
  return condenseItems(items, LIMITS.text).map((group) => {
    if (group.kind === 'lines') return [textBlock(group.text)];
    const { item } = group;
    return [
      textBlock(item.text),
      {
        tag: 'column_set',
        columns: item.buttons.map((b) => ({
          tag: 'column',
          width: 'auto',
          elements: [button(b.label, { action: b.actionId, [b.valueKind ?? 'lead']: b.value })],
        })),
      },
    ];
  });
}

/** A one-field form about one lead (why it is released, whom it goes to); its submit carries the lead in `value`. */
export function buildLeadFormCard(view: LeadFormView, leadId: number, action: string, problem?: string): LarkCard {
  const submit: CardElement = {
    ...button(view.submit, { action, lead: String(leadId) }, 'primary'),
    name: 'submit',
    form_action_type: 'submit',
  };
  const shown = problem ? [textBlock(`⚠ ${problem}`, { size: 'notation' })] : [];
  return card(
    [
      textBlock(view.about),
      { tag: 'form', name: 'one_field', elements: [formFieldElement(view.field), ...shown, submit] },
    ],
    { title: view.title },
  );
}

/** One form field as a Lark form element: a required multi-line text, or a required choice. */
export function formFieldElement(field: FormField): CardElement {
  if (field.kind === 'select')
    return {
      tag: 'select_static',
      name: field.id,
      required: !field.optional,
      placeholder: plainText(field.label, LIMITS.title),
      options: (field.options ?? [])
        .slice(0, 100)
        .map((o) => ({ text: plainText(o.label, LIMITS.button), value: o.value })),
    };
  return {
    tag: 'input',
    name: field.id,
    required: !field.optional,
    label: plainText(field.label, LIMITS.title),
    input_type: 'multiline_text',
    max_length: LARK_LIMITS.inputMaxLength,
  };
}
