import type { types } from '@slack/bolt';
import { splitLines } from '../../shared/split-lines.js';

/**
 * The one place Slack text is made safe. Every text Leadpool sends to Slack passes through here,
 * because any of it may carry text from outside (lead fields, names, what a person typed):
 * - mrkdwn: `&`, `<`, `>` become entities, so `<!channel>`, `<@U…>` and `<url|label>` show as typed,
 *   and `verbatim` stops Slack from turning bare URLs, #channels and @mentions into live ones;
 * - plain_text: Slack reads the same three characters there too, so they are escaped alike;
 * - a message's top-level `text` (notifications, and what clients show when blocks fail) cannot be
 *   made verbatim, so URL schemes and broadcast words are broken with a word joiner as well.
 * - formatting marks (`*`, `_`, `~`, backticks) in outside text are fenced with zero-width spaces,
 *   so `*bold*` in a lead's name shows as typed instead of bold; Slack has no escape for them. Text
 *   that mixes ours and theirs keeps our `code` spans (commands in catalog messages).
 */

/** Cuts text to a Block Kit limit, marking the cut. */
export const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Slack's three control characters. */
export const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const ZWSP = '\u200B';
const WORD = /[\p{L}\p{N}]/u;
/**
 * Fences a mark that could open or close a style: one with a letter or digit on both sides
 * (`snake_case`, `a*b`) never does in Slack, and is left as it is.
 */
const fence = (text: string, marks: RegExp) =>
  text.replace(marks, (mark, at: number) =>
    WORD.test(text[at - 1] ?? '') && WORD.test(text[at + 1] ?? '') ? mark : `${ZWSP}${mark}${ZWSP}`,
  );

/** Outside text alone (a field's value, a name): escaped, and every formatting mark fenced. */
export const asTyped = (text: string) => fence(escapeMrkdwn(text), /[*_~`]/g);

/**
 * Text of ours with outside text in it (a catalog message with a lead's name): escaped, our
 * `code` spans kept, every other formatting mark fenced.
 */
export function mixedText(text: string): string {
  return escapeMrkdwn(text)
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? part : fence(part, /[*_~`]/g)))
    .join('');
}

const WORD_JOINER = '\u2060';

/** Escaped, with URL schemes and @here/@channel/@everyone broken so no client makes them live. */
export function fallbackText(text: string, max = 3000): string {
  const defanged = mixedText(text)
    .replace(/\b([a-z][a-z0-9+.-]{1,15}):\/\//gi, `$1${WORD_JOINER}://`)
    .replace(/([@!])(here|channel|everyone)\b/gi, `$1${WORD_JOINER}$2`);
  return clip(defanged, max);
}

export const mrkdwn = (text: string, max = 3000): types.MrkdwnElement => ({
  type: 'mrkdwn',
  text: clip(mixedText(text), max),
  verbatim: true,
});

/** Lines of outside text, the first in bold: e.g. a field's label over its value. */
export function boldFirstLine(lines: readonly (string | null)[], max = 3000): types.MrkdwnElement {
  const [first, ...rest] = lines.filter((l): l is string => l !== null && l !== '').map(asTyped);
  const text = [first === undefined ? null : `*${first}*`, ...rest].filter(Boolean).join('\n');
  return { type: 'mrkdwn', text: clip(text, max) || ' ', verbatim: true };
}

export const plainText = (text: string, max: number): types.PlainTextElement => ({
  type: 'plain_text',
  text: clip(escapeMrkdwn(text), max) || ' ',
  emoji: true,
});

/** A whole message of one text: a verbatim section, with a safe fallback for notifications. */
/** A message as the views build it: its fallback text and its blocks. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * A whole message of one text, as many sections as it needs (a section holds 3,000 characters),
 * split between lines; past a message's blocks it is cut with a mark.
 */
export function textMessage(text: string): SlackMessage {
  const sections = splitLines(text, SECTION_TEXT).slice(0, MESSAGE_SECTIONS);
  return { text: fallbackText(text), blocks: sections.map((part) => ({ type: 'section', text: mrkdwn(part) })) };
}

const SECTION_TEXT = 2900; // under 3,000 once escaped and fenced, for all but the most hostile text
const MESSAGE_SECTIONS = 45; // a message holds 50 blocks; room for buttons under the text

/** A text message with buttons under it (a DM's "Log follow-up", a manager's Approve and Deny). */
export function withButtons(
  message: SlackMessage,
  actions: readonly { actionId: string; value: string; label: string }[],
): SlackMessage {
  if (actions.length === 0) return message;
  const elements = actions.map((action) => ({
    type: 'button' as const,
    action_id: action.actionId,
    value: action.value,
    text: plainText(action.label, 75),
  }));
  return { ...message, blocks: [...message.blocks, { type: 'actions', elements }] };
}

/** Post options that keep links in lead data from unfurling into previews in the channel. */
export const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/**
 * A bold label and people as real mentions (so Slack notifies them): the one text that is not
 * verbatim, so every part is ours or checked. An id must look like a Slack user id; anyone
 * without one is named, escaped.
 */
export function mentionLine(label: string, people: readonly { name: string; userId?: string }[]): types.MrkdwnElement {
  const named = people.map((p) => (p.userId && SLACK_USER_ID.test(p.userId) ? `<@${p.userId}>` : asTyped(p.name)));
  return { type: 'mrkdwn', text: clip(`*${asTyped(label)}* ${named.join(' ')}`, 3000), verbatim: false };
}
