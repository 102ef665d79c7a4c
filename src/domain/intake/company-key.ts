import { Converter } from 'opencc-js/t2cn';
import {
  BRANCH_WORDS,
  CITIES,
  CJK_BRANCH_WORDS,
  LEGAL_PREFIXES,
  LEGAL_SUFFIXES,
  REGIONS,
  TRADE_WORDS,
} from './company-words.js';
import { foldText } from './normalize.js';

// Joining words and a leading article: "The Johnson & Johnson Company" is "johnson johnson".
const JOINERS = /(?<=\S)\s+(?:and|und|et|y|e)(?=\s)/g;

const REGION_PREFIX = new RegExp(`^(?:${REGIONS.join('|')})(?:特别行政区|自治区|市|省|区)?`, 'u');

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u;
const toSimplified = Converter({ from: 't', to: 'cn' });
// Branch words and cities are folded as keys are (Japanese 営業所 meets the folded 営业所).
const BRANCH = new RegExp(
  `\\s(?:${BRANCH_WORDS.join('|')})\\b|(?:${[...new Set(CJK_BRANCH_WORDS.flatMap((w) => [w, toSimplified(w)]))].join('|')})`,
  'u',
);

/** Width, case, accents and traditional characters folded: the common ground of every key. */
function foldForKey(text: string): string {
  const folded = foldText(text)
    // German spelling first, as names do: Brückner is Brueckner.
    .replace(/[äöüÄÖÜ]/g, (c) => `${c.normalize('NFD')[0]}e`)
    .replace(/[ßẞ]/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/đ/g, 'd');
  return CJK.test(folded) ? toSimplified(folded) : folded;
}

/**
 * "Acme Trading Co., Ltd.", "ACME trading", "Acme Trading L.L.C." give one key, and so do
 * "深圳市瑞丰科技有限公司", "瑞豐科技（深圳）有限公司" and "瑞 丰 科 技". The key never starts
 * empty-handed: a name that is only a legal form keeps it.
 */
export function companyKey(company: string): string | null {
  let key = foldForKey(company)
    // Bracketed parts are regions or notes ("(Shenzhen)", "（深圳）"), not the name.
    .replace(/\([^)]*\)|\[[^\]]*\]/g, ' ')
    .replace(/[.,'"&/+\-:;!?|·–—]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "l l c" → "llc": dotted abbreviations come out as single letters.
  key = key.replace(/\b(?:[a-z] )+[a-z]\b/g, (letters) => letters.replace(/ /g, ''));
  // Spaces between Chinese or Japanese characters are typing, not words.
  key = key.replace(/(?<=[\u3040-\u30ff\u3400-\u9fff]) +(?=[\u3040-\u30ff\u3400-\u9fff])/gu, '');
  key = withoutBranch(key.replace(/^the\s+/, '').replace(JOINERS, ''));
  key = stripLegalForms(key);
  // A province and its city ("广东省深圳市") both go, as long as two characters of the name stay.
  for (
    let regionless = key.replace(REGION_PREFIX, '');
    regionless !== key;
    regionless = key.replace(REGION_PREFIX, '')
  ) {
    if ((regionless.match(/[\u3400-\u9fff]/gu) ?? []).length < 2) break;
    key = regionless;
  }
  key = key.replace(/\s+/g, '');
  return key.length > 0 ? key : null;
}

const PLACE_AT_END = new RegExp(
  `\\s?(?:${[...new Set([...REGIONS, ...CITIES].flatMap((c) => [c, toSimplified(c)]))].join('|')})(?:市|省|区)?$`,
  'u',
);

/**
 * The company without the branch, office or department after it: cut at the branch word, then
 * after the legal form when one comes before it ("sony corporation tokyo"), else without the
 * place the branch is in ("华为深圳", "sony tokyo").
 */
function withoutBranch(key: string): string {
  const at = key.search(BRANCH);
  if (at <= 0) return key;
  const head = stripLegalPrefixes(key.slice(0, at).trim());
  let end = -1;
  for (const suffix of LEGAL_SUFFIXES) {
    const found = CJK.test(suffix) ? head.lastIndexOf(suffix) : ` ${head} `.lastIndexOf(` ${suffix} `);
    if (found > 0) end = Math.max(end, found + suffix.length);
  }
  if (end > 0) return head.slice(0, end).trim();
  const placeless = head.replace(PLACE_AT_END, '').trim();
  if (placeless !== head && placeless.length >= 2) return placeless;
  // "Sony Tokyo Branch": the word before a closing branch word is its place. "Chi nhánh Cần Thơ",
  // "Niederlassung München": the place comes after it, and the head is the name.
  const closing = BRANCH.exec(key)?.[0] !== undefined && key.slice(at).trim().split(' ').length <= 1;
  const words = head.split(' ');
  return closing && words.length >= 2 && !CJK.test(head) ? words.slice(0, -1).join(' ') : head || key;
}

/**
 * A company key's distinctive core, with the words for what it does dropped: `瑞丰` for
 * `瑞丰科技`, `acme` for `acmetrading`. Two leads that meet only here are a *possible* match, to be
 * asked about, never merged. Null when too little is left to tell companies apart.
 */
export function companyCore(key: string | null): string | null {
  if (!key) return null;
  let core = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const word of TRADE_WORDS)
      if (core.length > word.length && core.endsWith(word)) {
        core = core.slice(0, core.length - word.length);
        changed = true;
      }
  }
  const cjk = (core.match(/[\u3040-\u30ff\u3400-\u9fff]/gu) ?? []).length;
  if (TRADE_WORDS.includes(core)) return null;
  return cjk >= 2 || (cjk === 0 && core.length >= 3) ? core : null;
}

function stripLegalPrefixes(start: string): string {
  for (const prefix of LEGAL_PREFIXES)
    if (start.length > prefix.length && start.startsWith(prefix))
      return stripLegalPrefixes(start.slice(prefix.length).trim());
  return start;
}

function stripLegalForms(start: string): string {
  let key = start;
  for (let changed = true; changed; ) {
    changed = false;
    for (const suffix of LEGAL_SUFFIXES) {
      const cjk = CJK.test(suffix);
      if (key.length > suffix.length && (key.endsWith(` ${suffix}`) || (cjk && key.endsWith(suffix)))) {
        key = key.slice(0, key.length - suffix.length).trim();
        changed = true;
      }
    }
    for (const prefix of LEGAL_PREFIXES) {
      if (key.length > prefix.length && key.startsWith(prefix)) {
        key = key.slice(prefix.length).trim();
        changed = true;
      }
    }
  }
  return key;
}
