import { condenseItems, type HomeItem, type HomeView } from '../../shared/presenters/home.presenter.js';
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
    max_length: LARK_LIMITS.inputMaxLength,
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
