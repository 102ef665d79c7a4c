import { splitLines } from '../../shared/split-lines.js';

/**
 * Lark Card JSON 2.0 pieces, and the only place that turns text into card text. Everything is
 * `plain_text`, which Lark shows as typed: a lead named "**x** <at id=all></at>" formats nothing and
 * mentions no one. The one exception is `mentionBlocks`, markdown made only of a catalog label and
 * checked user ids. Cards are shared (`update_multi`) so they can be edited in place.
 */
export interface LarkCard {
  schema: '2.0';
  config: { update_multi: true; width_mode?: 'fill' };
  header?: { title: PlainText; template: HeaderColour };
  body: { elements: CardElement[] };
}

export type HeaderColour = 'blue' | 'green' | 'orange' | 'red' | 'grey';
export interface PlainText {
  tag: 'plain_text';
  content: string;
}
export type CardElement = Record<string, unknown>;

/** Card text limits we keep to, well inside Lark's 30 KB per card. */
export const LIMITS = { title: 150, text: 2000, button: 60 } as const;

export function plainText(text: string, max: number = LIMITS.text): PlainText {
  const content = text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return { tag: 'plain_text', content };
}

export function textBlock(text: string, opts: { size?: 'normal' | 'notation' } = {}): CardElement {
  return { tag: 'div', text: { ...plainText(text), text_size: opts.size ?? 'normal' } };
}

export type ButtonStyle = 'primary' | 'default' | 'danger';

/** A button whose click arrives as `card.action.trigger` with `value`. */
export function button(label: string, value: Record<string, string>, type: ButtonStyle = 'default'): CardElement {
  return { tag: 'button', text: plainText(label, LIMITS.button), type, behaviors: [{ type: 'callback', value }] };
}

export function card(elements: CardElement[], header?: { title: string; colour?: HeaderColour }): LarkCard {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill' },
    ...(header ? { header: { title: plainText(header.title, LIMITS.title), template: header.colour ?? 'blue' } } : {}),
    body: { elements },
  };
}

/**
 * A card holding only text: DMs, replies and answers; a long text takes as many blocks as it
 * needs, split between lines, as far as a card holds.
 */
export function textCard(text: string, title?: string): LarkCard {
  const blocks: CardElement[] = [];
  let bytes = 0;
  for (const part of splitLines(text, LIMITS.text)) {
    bytes += Buffer.byteLength(part, 'utf8') + 80;
    if (bytes > TEXT_CARD_BYTES) break;
    blocks.push(textBlock(part));
  }
  return card(blocks, title ? { title } : undefined);
}

/** What a text card's blocks may take of a card's 30 KB. */
const TEXT_CARD_BYTES = 26_000;

const LARK_USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A line that mentions people for real (so Lark notifies them): the one markdown element we send.
 * Its only parts are a catalog label and checked user ids; names without an id follow as plain text.
 */
export function mentionBlocks(label: string, people: readonly { name: string; userId?: string }[]): CardElement[] {
  const ids = people.flatMap((p) => (p.userId && LARK_USER_ID.test(p.userId) ? [p.userId] : []));
  const unnamed = people.filter((p) => !p.userId || !LARK_USER_ID.test(p.userId)).map((p) => p.name);
  const blocks: CardElement[] = [];
  if (ids.length > 0)
    blocks.push({ tag: 'markdown', content: `${label} ${ids.map((id) => `<at id=${id}></at>`).join(' ')}` });
  if (unnamed.length > 0) blocks.push(textBlock(`${ids.length > 0 ? '' : `${label} `}${unnamed.join(', ')}`));
  return blocks;
}
