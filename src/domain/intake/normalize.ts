import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { Converter } from 'opencc-js/t2cn';
import { withoutInvisibles } from '../shared/text.js';

/**
 * Folds what people type into one form: full-width letters, digits and punctuation become ASCII
 * (NFKC), and runs of whitespace (including the ideographic space) become one space.
 */
export function foldText(text: string): string {
  return text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
}

export type PhoneResult =
  | {
      ok: true;
      e164: string /** Set when it was read as a number of one of the team's other regions. */;
      region?: string;
    }
  | { ok: 'ambiguous'; typed: string; regions: string[] }
  | { ok: false; problem: 'phone.invalid' | 'phone.needs_country' };

/**
 * Any common phone format to E.164. A number without a country code is read in `defaultRegion`
 * when it is valid there; only when it is not, and it is a valid mobile of exactly one of
 * `alsoRegions` (the other regions a team accepts), is it read there, saying so; when it could be
 * several of them, it is kept as typed and called ambiguous: never dropped, never guessed silently.
 */
export function normalizePhone(
  raw: string,
  defaultRegion: string | null,
  alsoRegions: readonly string[] = [],
): PhoneResult {
  const text = foldText(withoutInvisibles(raw, { joiners: false }));
  if ((text.match(/\d/g) ?? []).length < 5) return { ok: false, problem: 'phone.invalid' };
  const international = /^(\+|00)/.test(text.replace(/[\s()-]/g, ''));
  if (international) {
    const parsed = parsePhoneNumberFromString(text.replace(/^00/, '+'));
    return parsed?.isValid() ? { ok: true, e164: parsed.number } : { ok: false, problem: 'phone.invalid' };
  }
  const inDefault = defaultRegion ? parsePhoneNumberFromString(text, defaultRegion as CountryCode) : undefined;
  const mobiles = alsoRegions
    .filter((r) => r !== defaultRegion)
    .flatMap((region) => {
      const parsed = parsePhoneNumberFromString(text, region as CountryCode);
      return parsed?.isValid() && isMobile(parsed.getType()) ? [{ region, e164: parsed.number as string }] : [];
    });
  // Valid at home, it is read at home: the other regions are for numbers that are not.
  if (inDefault?.isValid()) return { ok: true, e164: inDefault.number };
  // Regions sharing a numbering plan (US and CA) read one number the same way: that is no doubt.
  if (new Set(mobiles.map((m) => m.e164)).size === 1)
    return { ok: true, ...(mobiles[0] as { region: string; e164: string }) };
  if (mobiles.length > 1) return { ok: 'ambiguous', typed: text, regions: mobiles.map((m) => m.region) };
  return { ok: false, problem: defaultRegion ? 'phone.invalid' : 'phone.needs_country' };
}

const isMobile = (type: string | undefined) => type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE';

// Pragmatic RFC 5322 subset: one @, no spaces, a dotted domain with a 2+ letter top level.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.[a-z]{2,63}$/;

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

// Legal forms stripped for matching only; the stored company name keeps them. Stripping repeats,
// so "Co., Ltd." goes as "ltd" then "co", and "GmbH & Co. KG" as "kg", "co", "gmbh". Longest first,
// so "有限责任公司" is not cut as "公司". Dotted forms ("L.L.C.", "G.m.b.H.") are joined before.
// Traditional characters are folded to simplified first, so one list serves both.
const LEGAL_SUFFIXES = [
  // English
  'limited',
  'ltd',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'llp',
  'lp',
  'pllc',
  'plc',
  'pte',
  'pty',
  'pvt',
  'private',
  'co',
  'company',
  // German, Austrian, Swiss
  'gmbh',
  'mbh',
  'ag',
  'kg',
  'kgaa',
  'ohg',
  'ug',
  'ev',
  // French, Belgian
  'sa',
  'sas',
  'sasu',
  'sarl',
  'eurl',
  'sci',
  'snc',
  'sprl',
  // Italian, Spanish, Dutch, Nordic
  'srl',
  'spa',
  'sl',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'asa',
  // Japanese (romanised)
  'kk',
  'kabushikikaisha',
  'kabushiki kaisha',
  'yk',
  'gk',
  // Chinese (simplified; traditional is folded to it) and Japanese
  '股份有限公司',
  '有限责任公司',
  '有限公司',
  '股份公司',
  '集团',
  '公司',
  '株式会社',
  '有限会社',
  '合同会社',
].sort((a, b) => b.length - a.length);

// Japanese legal forms are as often written first ("株式会社ソニー").
const LEGAL_PREFIXES = ['株式会社', '有限会社', '合同会社'];

// A Chinese company name often starts with its city or province ("深圳市瑞丰科技"): stripped with
// its 市/省/区, so the registered name and the one people say meet.
const REGIONS = [
  '北京',
  '上海',
  '天津',
  '重庆',
  '广州',
  '深圳',
  '杭州',
  '南京',
  '苏州',
  '成都',
  '武汉',
  '西安',
  '青岛',
  '厦门',
  '宁波',
  '无锡',
  '东莞',
  '佛山',
  '长沙',
  '郑州',
  '济南',
  '合肥',
  '福州',
  '大连',
  '沈阳',
  '哈尔滨',
  '长春',
  '昆明',
  '南宁',
  '贵阳',
  '南昌',
  '太原',
  '石家庄',
  '兰州',
  '乌鲁木齐',
  '呼和浩特',
  '珠海',
  '中山',
  '温州',
  '常州',
  '徐州',
  '香港',
  '澳门',
  '台北',
  '广东',
  '浙江',
  '江苏',
  '山东',
  '福建',
  '四川',
  '湖北',
  '湖南',
  '河南',
  '河北',
  '安徽',
  '江西',
  '辽宁',
  '吉林',
  '黑龙江',
  '云南',
  '贵州',
  '陕西',
  '山西',
  '甘肃',
  '广西',
  '海南',
  '内蒙古',
  '新疆',
  '西藏',
  '宁夏',
  '青海',
  '台湾',
].sort((a, b) => b.length - a.length);
const REGION_PREFIX = new RegExp(`^(?:${REGIONS.join('|')})(?:特别行政区|自治区|市|省|区)?`, 'u');

const CJK = /[\u3040-\u30ff\u3400-\u9fff]/u;
const toSimplified = Converter({ from: 't', to: 'cn' });

/** Width, case, accents and traditional characters folded: the common ground of every key. */
function foldForKey(text: string): string {
  const folded = foldText(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFC')
    .toLowerCase();
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
    .replace(/[.,'"&/+\-:;!?]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "l l c" → "llc": dotted abbreviations come out as single letters.
  key = key.replace(/\b(?:[a-z] )+[a-z]\b/g, (letters) => letters.replace(/ /g, ''));
  // Spaces between CJK characters are typing, not words.
  key = key.replace(/(?<=[\u3040-\u30ff\u3400-\u9fff]) +(?=[\u3040-\u30ff\u3400-\u9fff])/gu, '');
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

// Words that say what a company does, not which one it is: its distinctive core is what is left.
const TRADE_WORDS = [
  '科技',
  '技术',
  '贸易',
  '电子',
  '网络',
  '实业',
  '信息',
  '软件',
  '发展',
  '咨询',
  '服务',
  '管理',
  '投资',
  '控股',
  '国际',
  '工程',
  '商贸',
  '传媒',
  '文化',
  '智能',
  '数据',
  '物流',
  '制造',
  '设备',
  '材料',
  '医疗',
  '教育',
  'technologies',
  'technology',
  'tech',
  'trading',
  'systems',
  'system',
  'solutions',
  'services',
  'holdings',
  'international',
  'group',
  'labs',
  'software',
  'consulting',
  'logistics',
  'industries',
  'foods',
  'global',
].sort((a, b) => b.length - a.length);

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

/**
 * A person's name as a key: width, case, accents and traditional characters folded, and the order
 * of its words ignored, so "Li Lei", "LI, Lei" and "Lei Li" meet (family-first and given-first
 * orders are both common). Chinese names are kept in their order: their characters are not words.
 */
export function nameKey(name: string): string {
  const words = foldForKey(name)
    .replace(/(?<=[\u3040-\u30ff\u3400-\u9fff])\s+(?=[\u3040-\u30ff\u3400-\u9fff])/gu, '')
    .split(/[\s.,'-]+/)
    .filter(Boolean);
  return words.sort().join('');
}

/**
 * The version of the match keys above: stored leads with an older one are re-keyed at start. A new
 * version comes with a migration that sets `lead.keys_version`'s default to it.
 */
export const MATCH_KEYS_VERSION = 3;
