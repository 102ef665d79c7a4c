import { condenseItems, type HomeItem, type HomeView } from '../../shared/presenters/home.presenter.js';
import { button, type CardElement, card, type LarkCard, LIMITS, textBlock } from './lark-card.js';
import { fitGroups } from './lark-limits.js';

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
