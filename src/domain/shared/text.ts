// C0 controls other than tab, line feed and carriage return, and DEL. NUL in particular is refused
// by PostgreSQL for a whole statement, so it must never get as far as the database.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Text a person could have typed: no control characters and no unpaired surrogates. */
export function isSafeText(text: string): boolean {
  return text.isWellFormed() && !CONTROL.test(text);
}

/** Keys that would reach an object's prototype when used as property names. */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

// Characters that show nothing but stop a value from matching: zero-width spaces, word joiners,
// byte-order marks, soft hyphens and bidirectional marks, as text pasted from a web page or a
// mail client carries them.
const INVISIBLE = /[\u00AD\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Zero-width joiners hold emoji and some scripts together: kept in names, dropped where a value is
// an address or a number.
const JOINERS = /[\u200C\u200D]/g;
// Spaces of other widths (no-break, ideographic, thin…) are ordinary spaces.
const EXOTIC_SPACES = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;

/** Outside text as a person meant it: invisible characters dropped, exotic spaces made plain. */
export function withoutInvisibles(text: string, opts: { joiners?: boolean } = {}): string {
  const cleaned = text.replace(INVISIBLE, '').replace(EXOTIC_SPACES, ' ');
  return opts.joiners === false ? cleaned.replace(JOINERS, '') : cleaned;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Outside text made storable: invisible characters and control characters (a NUL that PostgreSQL
 * refuses, a bell pasted from a terminal) dropped, broken Unicode (a lone surrogate) dropped, and
 * exotic spaces made plain. What is left is what the person meant to type.
 */
export function cleanedText(text: string): string {
  return withoutInvisibles(text.replace(LONE_SURROGATES, '').replace(CONTROLS, ''));
}
