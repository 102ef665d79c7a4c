import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Folds what people type into one form: full-width letters, digits and punctuation become ASCII
 * (NFKC), and runs of whitespace (including the ideographic space) become one space.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

export type PhoneResult = { ok: true; e164: string } | { ok: false; problem: 'phone.invalid' | 'phone.needs_country' };

/** Any common phone format to E.164, reading numbers without a country code in `defaultRegion`. */
export function normalizePhone(raw: string, defaultRegion: string | null): PhoneResult {
  const text = foldText(raw);
  if ((text.match(/\d/g) ?? []).length < 5) return { ok: false, problem: 'phone.invalid' };
  const international = /^(\+|00)/.test(text.replace(/[\s()-]/g, ''));
  if (!international && !defaultRegion) return { ok: false, problem: 'phone.needs_country' };
  const parsed = parsePhoneNumberFromString(
    text.replace(/^00/, '+'),
    international ? undefined : (defaultRegion as CountryCode),
  );
  return parsed?.isValid() ? { ok: true, e164: parsed.number } : { ok: false, problem: 'phone.invalid' };
}

// Pragmatic RFC 5322 subset: one @, no spaces, a dotted domain with a 2+ letter top level.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

export function normalizeEmail(raw: string): string | null {
  const email = foldText(raw).toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..')) return null;
  return email;
}

// Legal forms stripped for matching only; the stored company name keeps them. Stripping repeats,
// so "Co., Ltd." goes as "ltd" then "co". Longest first, so "有限责任公司" is not cut as "公司".
const LEGAL_SUFFIXES = [
  'limited',
  'ltd',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'llp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'kk',
  'pte',
  'pty',
  'pvt',
  'private',
  'co',
  'company',
  '有限责任公司',
  '股份有限公司',
  '有限公司',
  '集团',
  '公司',
].sort((a, b) => b.length - a.length);

/** "Acme Trading Co., Ltd." and "ACME trading" give the same key; the key never starts empty-handed. */
export function companyKey(company: string): string | null {
  let key = foldText(company)
    .toLowerCase()
    .replace(/[.,()'"&]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      const spaced = ` ${suffix}`;
      const cjk = /[\u4e00-\u9fff]/.test(suffix);
      if (key.length > suffix.length && (key.endsWith(spaced) || (cjk && key.endsWith(suffix)))) {
        key = key.slice(0, key.length - suffix.length).trim();
        changed = true;
      }
    }
  }
  key = key.replace(/\s+/g, '');
  return key.length > 0 ? key : null;
}

/** Case-, width- and spacing-insensitive form of a person's name. */
export function nameKey(name: string): string {
  return foldText(name)
    .toLowerCase()
    .replace(/[\s.,'-]+/g, '');
}
