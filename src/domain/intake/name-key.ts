import { Converter } from 'opencc-js/t2cn';
import { foldText } from './normalize.js';

/**
 * Keys for a person's name, by language: what people add around a name (titles, honorifics,
 * post-nominals, an alias in brackets) is dropped, and what is only spelling is folded, so the
 * name a person gives twice meets itself; what tells two names apart is kept.
 */

const CJK_CHAR = '\\u3040-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uac00-\\ud7af';
const CJK = new RegExp(`[${CJK_CHAR}]`, 'u');
const CJK_WORD = new RegExp(`[${CJK_CHAR}]+`, 'gu');
const SPACES_IN_CJK = new RegExp(`(?<=[${CJK_CHAR}])\\s+(?=[${CJK_CHAR}])`, 'gu');
const LATIN = /\p{Script=Latin}/u;
const toSimplified = Converter({ from: 't', to: 'cn' });

// Written before a name: English, German, Spanish, French. Only dropped when two words of the name
// stay, so "Don Johnson" and "Dr. Li" keep every word.
const TITLES_BEFORE = new Set(
  (
    'mr mrs ms miss mx dr dra prof professor sir dame rev herr frau hr fr dipl ing mag med rer nat ' +
    'sr sra srta don dona doña lic licda licdo arq abg mme mlle m'
  ).split(' '),
);
// Written after a name, usually after a comma.
const AFTER = new Set('jr sr ii iii iv phd md mba cpa esq msc bsc mphil dds cfa pmp pe ll.m llm'.split(' '));

// Said after a name: Chinese, Japanese, Korean. Dropped while two characters of the name stay.
const SUFFIXES = [
  '先生',
  '女士',
  '小姐',
  '老师',
  '老師',
  '总经理',
  '總經理',
  '经理',
  '經理',
  '总监',
  '總監',
  '董事长',
  '董事長',
  '主任',
  '博士',
  '教授',
  '总',
  '總',
  'さん',
  'さま',
  '様',
  '氏',
  '殿',
  'くん',
  '君',
  // Chinese and Japanese job titles said after a name (张伟经理, 田中部長).
  '部长',
  '部長',
  '处长',
  '處長',
  '科长',
  '科長',
  '主管',
  '工程师',
  '工程師',
  '律师',
  '律師',
  '医生',
  '醫生',
  '院长',
  '院長',
  '厂长',
  '廠長',
  '课长',
  '課長',
  '係長',
  '社長',
  '次長',
  '室長',
  '所長',
  '店長',
  '専務',
  '常務',
  '取締役',
  // Korean job titles, with or without 님 (김민수 과장, 박지훈 대리님).
  ...[
    '선생',
    '대표',
    '사장',
    '부장',
    '과장',
    '차장',
    '대리',
    '사원',
    '주임',
    '팀장',
    '실장',
    '이사',
    '상무',
    '전무',
    '교수',
    '박사',
    '원장',
  ].flatMap((title) => [title, `${title}님`]),
  '님',
  '씨',
].sort((a, b) => b.length - a.length);

// Vietnamese forms of address, dropped only before a family name (Anh is also a given name).
const VIETNAMESE_ADDRESS = new Set(['anh', 'chi', 'ong', 'ba', 'em', 'co', 'chu', 'bac']);
const VIETNAMESE_FAMILY = new Set(
  'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dinh trinh mai truong cao lam luong'.split(
    ' ',
  ),
);
// Letters only Vietnamese uses (ă, â, đ, ê, ô, ơ, ư, ĩ, ũ, and the Latin Extended Additional block
// of tone-marked vowels): in a Vietnamese name the marks are the name (Hùng is not Hưng).
const VIETNAMESE_LETTERS = /[ăâđêôơưĩũĂÂĐÊÔƠƯĨŨ\u1EA0-\u1EF9]/u;
// Marks Spanish shares with Vietnamese: Vietnamese only after a Vietnamese family name (Lý Tú).
const SHARED_TONES = /[àáãèéìíòóùúýÀÁÃÈÉÌÍÒÓÙÚÝ]/u;
const GERMAN_OR_SPANISH = /[äöüßñçÄÖÜÑÇ]/u;

/** Whether a name is Vietnamese, whose marks are never folded. */
function isVietnamese(name: string): boolean {
  if (VIETNAMESE_LETTERS.test(name)) return true;
  if (!SHARED_TONES.test(name) || GERMAN_OR_SPANISH.test(name)) return false;
  const [first = '', second = ''] = foldText(name)
    .toLowerCase()
    .split(/[\s,]+/)
    .map(folded);
  return VIETNAMESE_FAMILY.has(first) || (VIETNAMESE_ADDRESS.has(first) && VIETNAMESE_FAMILY.has(second));
}

// Japanese variant kanji (itaiji) people write for the same name: 髙橋 and 高橋, 﨑 and 崎. A
// Japanese form of a character Chinese writes otherwise (竜, 辺, 沢) goes to its traditional form,
// which the simplified folding that follows makes one with the Chinese (竜 and 龍 and 龙).
const VARIANT_KANJI: Readonly<Record<string, string>> = {
  髙: '高',
  﨑: '崎',
  嵜: '崎',
  埼: '崎',
  辺: '邊',
  邉: '邊',
  浜: '濱',
  濵: '濱',
  斎: '齋',
  斉: '齊',
  徳: '德',
  眞: '真',
  広: '廣',
  沢: '澤',
  桜: '櫻',
  國: '国',
  條: '条',
  蔵: '藏',
  瀬: '瀨',
  槙: '槇',
  冨: '富',
  恵: '惠',
  竜: '龍',
  曽: '曾',
  祐: '祐',
  塚: '塚',
  﨔: '欅',
};
const VARIANT = new RegExp(`[${Object.keys(VARIANT_KANJI).join('')}]`, 'gu');

// German spelling: an umlaut is its letter and an e, ß is ss (Günter Weiß is Guenter Weiss).
const GERMAN: Readonly<Record<string, string>> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss', ẞ: 'ss' };

/** The words of a name with what surrounds it dropped, lower-cased, each as written. */
function nameWords(name: string): string[] {
  let text = foldText(name)
    .toLowerCase()
    // An alias or a note in brackets: 张敏（Emma）, Emma Zhang (张敏).
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|「[^」]*」/gu, ' ')
    .replace(SPACES_IN_CJK, '');
  if (!text.trim()) text = foldText(name).toLowerCase();
  // A name in two scripts ("Lily 王丽", "张敏 Emma"): the characters are the name, the rest an alias.
  if (CJK.test(text) && LATIN.test(text)) text = (text.match(CJK_WORD) ?? []).join(' ');
  let words = text.split(/[\s,;/\-–]+/).filter(Boolean);
  words = words.map((w) => withoutSuffix(w));
  const bare = (w: string) => w.replace(/\./g, '');
  while (words.length > 2 && AFTER.has(bare(words[words.length - 1] as string))) words.pop();
  while (words.length > 2 && TITLES_BEFORE.has(bare(words[0] as string))) words.shift();
  const second = words[1] ? folded(words[1]) : '';
  if (words.length > 2 && VIETNAMESE_ADDRESS.has(folded(words[0] as string)) && VIETNAMESE_FAMILY.has(second))
    words.shift();
  return words.map((w) => w.replace(/[.'’`-]/g, '')).filter(Boolean);
}

function withoutSuffix(word: string): string {
  if (!CJK.test(word)) return word;
  for (const suffix of SUFFIXES)
    if (word.endsWith(suffix) && [...word].length - [...suffix].length >= 2) return word.slice(0, -suffix.length);
  return word;
}

const folded = (word: string) =>
  word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd');

/** A word's spelling folded: German as German spells it, other accents dropped; Vietnamese kept. */
function spelled(word: string, vietnamese: boolean): string {
  if (vietnamese) return word.normalize('NFC');
  const german = word.replace(/[äöüßẞ]/gu, (c) => GERMAN[c] ?? c);
  const plain = folded(german).normalize('NFC');
  return CJK.test(plain) ? toSimplified(plain.replace(VARIANT, (c) => VARIANT_KANJI[c] ?? c)) : plain;
}

/**
 * A person's name as a key for matching the same person: titles, honorifics and aliases dropped,
 * width, case, traditional characters, variant kanji and German and Spanish accents folded, and the
 * order of the words ignored, so "Mr. Matthew O'Brien", "O'BRIEN, Matthew" and "Matthew O'Brien"
 * meet, and so do 張敏, 张敏（Emma）and 张敏女士. Vietnamese names keep their marks.
 */
export function nameKey(name: string): string {
  const vietnamese = isVietnamese(name);
  const key = nameWords(name)
    .map((w) => spelled(w, vietnamese))
    .sort()
    .join('');
  return key || foldText(name).toLowerCase();
}

/**
 * Looser still, for a *possible* match only (asked about, never merged): an umlaut written without
 * its e (Muller for Müller), an ae, oe or ue for the letter itself, a Vietnamese name without its marks.
 */
export function looseNameKey(name: string): string {
  // Vietnamese typed without its marks (Nguyen Van An for Nguyễn Văn An) meets the marked name
  // here, and so do two names that differ only in their marks: either way a question, never a merge.
  if (isVietnamese(name))
    return (
      nameWords(name)
        .map((w) =>
          folded(w)
            .normalize('NFC')
            .replace(/([aou])e/g, '$1'),
        )
        .sort()
        .join('') || nameKey(name)
    );
  return (
    nameWords(name)
      .map((w) => spelled(folded(w), false).replace(/([aou])e/g, '$1'))
      .sort()
      .join('') || nameKey(name)
  );
}
