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
