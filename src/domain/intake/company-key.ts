import { Converter } from 'opencc-js/t2cn';
import { foldText } from './normalize.js';

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
  // Spanish and Latin American (dots gone: "S.A. de C.V." is "sa de cv")
  'sa de cv',
  'sab de cv',
  'sapi de cv',
  'srl de cv',
  's de rl de cv',
  's de rl',
  'de cv',
  'sau',
  'slu',
  'sll',
  'ltda',
  'cia',
  'sac',
  'saa',
  'eirl',
  'spa',
  'se',
  // Vietnamese, as written after the name in English
  'jsc',
  'tnhh',
  'ctcp',
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
  // Korean
  '주식회사',
  '유한회사',
  '유한책임회사',
].sort((a, b) => b.length - a.length);

// Legal forms as often written first: Japanese ("株式会社ソニー"), Korean ("주식회사 삼성"),
// Vietnamese ("Công ty TNHH ABC", accents folded).
const LEGAL_PREFIXES = [
  '株式会社',
  '有限会社',
  '合同会社',
  '주식회사',
  '유한회사',
  'cong ty tnhh mot thanh vien',
  'cong ty tnhh mtv',
  'cong ty tnhh',
  'cong ty co phan',
  'cong ty cp',
  'cong ty',
  'cty tnhh',
  'cty cp',
  'cty',
  'ctcp',
  'tnhh',
].sort((a, b) => b.length - a.length);

// What follows a company's name to say which part of it: a branch, an office, a department.
// From the first of these on, the rest is dropped ("Siemens AG, Niederlassung München",
// "Sony Corporation Tokyo Branch", "华为技术有限公司深圳分公司", "삼성전자 서울지점").
const BRANCH_WORDS = [
  'branch',
  'office',
  'division',
  'department',
  'dept',
  'subsidiary',
  'niederlassung',
  'zweigniederlassung',
  'filiale',
  'standort',
  'abteilung',
  'vertrieb',
  'geschaftsstelle',
  'sucursal',
  'oficina',
  'delegacion',
  'departamento',
  'division',
  'chi nhanh',
  'van phong',
  'phong',
];
const CJK_BRANCH_WORDS = [
  '分公司',
  '子公司',
  '办事处',
  '分部',
  '分行',
  '分店',
  '营业部',
  '事业部',
  '销售部',
  '采购部',
  '市场部',
  '支社',
  '支店',
  '営業所',
  '事業所',
  '事業部',
  '営業部',
  '本社',
  '지점',
  '지사',
  '사업부',
  '영업부',
  '본사',
];
// Cities said before a branch word in Japanese and Korean names ("東京支社", "서울지점"); Chinese ones are in REGIONS.
const CITIES = [
  '东京',
  '大阪',
  '名古屋',
  '横浜',
  '福冈',
  '札幌',
  '京都',
  '神户',
  '서울',
  '부산',
  '인천',
  '대구',
  '대전',
  '광주',
];
// Joining words and a leading article: "The Johnson & Johnson Company" is "johnson johnson".
const JOINERS = /(?<=\S)\s+(?:and|und|et|y|e)(?=\s)/g;

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
