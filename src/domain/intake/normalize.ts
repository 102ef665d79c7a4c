import { type CountryCode, type NumberType, type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { withoutInvisibles } from '../shared/text.js';

/**
 * Folds what people type into one form: full-width letters, digits and punctuation become ASCII
 * (NFKC), and runs of whitespace (including the ideographic space) become one space.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

/** What a number is, as far as it says: a mobile is one person's; a fixed line may be a family's or an office's. */
export type PhoneKind = 'mobile' | 'fixed' | 'unknown';

export type PhoneResult =
  | {
      ok: true;
      e164: string;
      /** The extension, when one was written (`转 8021`, `内線 123`, `ext. 12`, `-123`). */
      ext?: string;
      kind: PhoneKind;
      /** Set when it was read as a number of one of the team's other regions. */
      region?: string;
      /**
       * Other readings of a number read at home: how the team's other regions read the same digits
       * as written (a Vienna 0676 mobile is a valid German fixed line). Only ever possible matches.
       */
      alts?: string[];
    }
  | { ok: 'ambiguous'; typed: string; ext?: string; regions: string[]; readings: string[] }
  | { ok: false; problem: 'phone.invalid' | 'phone.needs_country' };

// How people write an extension after the number, in the markets Leadpool serves: English,
// German (Durchwahl, Nebenstelle, App.), Spanish (anexo, interno), Chinese (转, 分机), Japanese
// (内線), Korean (내선), Vietnamese (máy lẻ, nhánh), and the bare marks x, #, p and ",".
const EXTENSION =
  /[\s,;]*\(?\s*(?:ext(?:ension)?|x|#|p|durchwahl|dw|nebenstelle|nst|app|anexo|interno|int|转|轉|分机|分機|内線|内线|內線|내선|máy lẻ|may le|nhánh|,)\s*[.:：]?\s*(\d{1,7})\s*\)?\s*$/iu;
// A trailing group after a dash (`03-1234-5678-123`): an extension only when the number without it
// is valid and with it is not.
const DASHED_TAIL = /\s*[-‐–]\s*(\d{1,5})\s*$/u;

/**
 * Any common phone format to E.164, with its extension and its kind. A number without a country
 * code is read in `defaultRegion` when it is valid there; only when it is not, and it is a valid
 * mobile of exactly one of `alsoRegions` (the other regions a team accepts), is it read there,
 * saying so; when it could be several of them, it is kept as typed and called ambiguous: never
 * dropped, never guessed silently.
 */
export function normalizePhone(
  raw: string,
  defaultRegion: string | null,
  alsoRegions: readonly string[] = [],
): PhoneResult {
  const text = foldText(withoutInvisibles(raw, { joiners: false }));
  const keyed = EXTENSION.exec(text);
  if (keyed) {
    const read = readNumber(text.slice(0, keyed.index), defaultRegion, alsoRegions);
    return read.ok === false ? read : { ...read, ext: keyed[1] as string };
  }
  const read = readNumber(text, defaultRegion, alsoRegions);
  const dashed = DASHED_TAIL.exec(text);
  if (read.ok !== true && dashed) {
    const head = readNumber(text.slice(0, dashed.index), defaultRegion, alsoRegions);
    if (head.ok === true) return { ...head, ext: dashed[1] as string };
  }
  return read;
}

function readNumber(text: string, defaultRegion: string | null, alsoRegions: readonly string[]): PhoneResult {
  if ((text.match(/\d/g) ?? []).length < 5) return { ok: false, problem: 'phone.invalid' };
  const international = /^(\+|00)/.test(text.replace(/[\s()-]/g, ''));
  if (international) {
    const valid = validReading(parsePhoneNumberFromString(text.replace(/^\s*00/, '+')));
    return valid ? read(valid) : { ok: false, problem: 'phone.invalid' };
  }
  const inDefault = defaultRegion ? validReading(parsePhoneNumberFromString(text, defaultRegion as CountryCode)) : null;
  // Another region's number counts only written as that region writes it: 3790 9880 is Hong Kong's;
  // Taiwan would write its trunk 0 (03 790 9880).
  const readings = alsoRegions
    .filter((r) => r !== defaultRegion)
    .flatMap((region) => {
      const valid = validReading(parsePhoneNumberFromString(text, region as CountryCode));
      const asWritten = valid && digitsOf(valid.parsed.formatNational()) === digitsOf(text);
      return valid && asWritten ? [{ region, ...valid }] : [];
    });
  // Valid at home, it is read at home: the other regions are for numbers that are not. What they
  // would make of it is kept beside, for a possible match only.
  if (inDefault) {
    const alts = [...new Set(readings.map((m) => m.parsed.number as string))].filter(
      (n) => n !== inDefault.parsed.number,
    );
    return alts.length > 0 ? { ...read(inDefault), alts } : read(inDefault);
  }
  // Mobiles first: a fixed line is read only when no region has it as a mobile.
  const mobileReadings = readings.filter((m) => isMobile(m.type));
  const mobiles = mobileReadings.length > 0 ? mobileReadings : readings;
  // Regions sharing a numbering plan (US and CA) read one number the same way: that is no doubt.
  const first = mobiles[0];
  if (first && new Set(mobiles.map((m) => m.parsed.number)).size === 1) return { ...read(first), region: first.region };
  if (mobiles.length > 1)
    return {
      ok: 'ambiguous',
      typed: text,
      regions: mobiles.map((m) => m.region),
      readings: [...new Set(readings.map((m) => m.parsed.number as string))],
    };
  return { ok: false, problem: defaultRegion ? 'phone.invalid' : 'phone.needs_country' };
}

interface ValidReading {
  parsed: PhoneNumber;
  type: NumberType;
}

/**
 * A parsed number when it is valid, with its type. With full metadata `isValid()` is "has a type",
 * so the type is found once, not twice (it tries each type's pattern: most of intake's time per number).
 */
export function validReading(parsed: PhoneNumber | undefined): ValidReading | null {
  if (!parsed) return null;
  const type = parsed.getType();
  // A region whose metadata lists no types is valid by its national pattern alone.
  return type !== undefined || parsed.isValid() ? { parsed, type } : null;
}

function read({ parsed, type }: ValidReading): Extract<PhoneResult, { ok: true }> {
  return { ok: true, e164: parsed.number, kind: kindOf(type), ...(parsed.ext ? { ext: parsed.ext } : {}) };
}

const digitsOf = (text: string) => text.replace(/\D/g, '');
const isMobile = (type: string | undefined) => type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';
const kindOf = (type: string | undefined): PhoneKind =>
  type === 'MOBILE' ? 'mobile' : type === undefined || type === 'FIXED_LINE_OR_MOBILE' ? 'unknown' : 'fixed';

const kinds = new Map<string, PhoneKind>();
/** The kind of a stored E.164 number (cached: a stored lead's number is asked about on every match). */
export function phoneKindOf(e164: string): PhoneKind {
  let kind = kinds.get(e164);
  if (kind === undefined) {
    kind = kindOf(parsePhoneNumberFromString(e164)?.getType());
    if (kinds.size > 50_000) kinds.clear();
    kinds.set(e164, kind);
  }
  return kind;
}

/** A number stored as E.164 (not one kept as typed): only these are matched on. */
export const isE164 = (phone: string) => /^\+[1-9]\d{4,14}$/.test(phone);

// Pragmatic RFC 5322 subset: one @, no spaces, a dotted domain with a 2+ letter top level.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

/** An address in the form intake stores (only these are matched on). */
export const isEmailAddress = (email: string) => EMAIL.test(email);

export function normalizeEmail(raw: string, foldAliases = false): string | null {
  const email = addressOf(foldText(withoutInvisibles(raw, { joiners: false }))).toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..')) return null;
  return foldAliases ? withoutAliases(email) : email;
}

/**
 * The address in what a mail client pastes: `"Maria Schmidt" <maria@siemens.com>`,
 * `Maria <maria@siemens.com>`, `<maria@siemens.com>`, `mailto:maria@siemens.com`, or the bare one.
 */
function addressOf(text: string): string {
  const bracketed = /<([^<>\s]+@[^<>\s]+)>\s*$/.exec(text);
  const address = bracketed ? (bracketed[1] as string) : text;
  return address.replace(/^mailto:/i, '').replace(/[.,;]+$/, '');
}

/** Providers that deliver every dotted and `+tag` form of an address to one mailbox. */
const ALIAS_DOMAINS: Readonly<Record<string, string>> = { 'gmail.com': 'gmail.com', 'googlemail.com': 'gmail.com' };

/**
 * The one address a provider delivers an alias to: at Gmail, `j.o.e+news@googlemail.com` is
 * `joe@gmail.com`. Elsewhere dots and `+` may be part of the address, so it is left as it is.
 */
function withoutAliases(email: string): string {
  const at = email.lastIndexOf('@');
  const domain = ALIAS_DOMAINS[email.slice(at + 1)];
  if (!domain) return email;
  const local = email.slice(0, at).split('+')[0]?.replace(/\./g, '') ?? '';
  return local ? `${local}@${domain}` : email;
}

/**
 * The version of the match keys above: stored leads with an older one are re-keyed at start. A new
 * version comes with a migration that sets `lead.keys_version`'s default to it.
 */
export const MATCH_KEYS_VERSION = 5;
