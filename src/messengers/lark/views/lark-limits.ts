import type { CardElement, LarkCard } from './lark-card.js';

/**
 * Lark's card limits, in one place: every card that can grow keeps to them by condensing or
 * cutting with a "more" line, instead of having Lark refuse the send (error 230025 and the like).
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-structure
 */
export const LARK_LIMITS = {
  /** Elements and components in one Card JSON 2.0 card; every tagged node counts, plain_text too. */
  elements: 200,
  /** A card's JSON, in bytes (Lark's 30 KB, kept with room for the envelope). */
  cardBytes: 28_000,
  /** An input component's max_length may be 1 to 1,000. */
  inputMaxLength: 1000,
  /** A message can be edited for 14 days after it was sent. */
  editableForMs: 14 * 24 * 3_600_000,
} as const;

/** Every node with a `tag` is an element or component to Lark's count. */
export function elementCount(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, child) => n + elementCount(child), 0);
  if (!node || typeof node !== 'object') return 0;
  const own = 'tag' in node ? 1 : 0;
  return own + Object.values(node).reduce((n: number, child) => n + elementCount(child), 0);
}

export const cardBytes = (card: LarkCard) => Buffer.byteLength(JSON.stringify(card), 'utf8');

export const fitsLark = (card: LarkCard) =>
  elementCount(card) <= LARK_LIMITS.elements && cardBytes(card) <= LARK_LIMITS.cardBytes;

/**
 * The card with as many of `groups` (in order) as fit, and `cut` after them when any was left out.
 * `build` makes the card from the groups kept; a binary search finds how many.
 */
export function fitGroups(
  groups: readonly CardElement[][],
  cut: CardElement,
  build: (elements: CardElement[]) => LarkCard,
): LarkCard {
  const all = build(groups.flat());
  if (fitsLark(all)) return all;
  let low = 0;
  let high = groups.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fitsLark(build([...groups.slice(0, middle).flat(), cut]))) low = middle;
    else high = middle - 1;
  }
  return build([...groups.slice(0, low).flat(), cut]);
}
