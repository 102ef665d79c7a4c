import { companyKey } from '../../src/domain/intake/company-key.js';
import { nameKey } from '../../src/domain/intake/name-key.js';
import { seededRandom } from '../../src/domain/scoring/calibrate.js';

/**
 * A seeded generator of people as a CRM sees them, and of the ways they come in again: each
 * variant is labelled with the person it is, so a run can count what matching found.
 */

/** The project's seeded PRNG (mulberry32): the same people for the same seed everywhere. */
export const seeded = seededRandom;

const SURNAMES = [
  ['陈', '陳', 'Chen'],
  ['张', '張', 'Zhang'],
  ['刘', '劉', 'Liu'],
  ['黄', '黃', 'Huang'],
  ['赵', '趙', 'Zhao'],
  ['吴', '吳', 'Wu'],
  ['郑', '鄭', 'Zheng'],
  ['王', '王', 'Wang'],
  ['李', '李', 'Li'],
  ['杨', '楊', 'Yang'],
] as const;
const GIVEN = [
  ['伟', '偉', 'Wei'],
  ['丽', '麗', 'Li'],
  ['强', '強', 'Qiang'],
  ['军', '軍', 'Jun'],
  ['华', '華', 'Hua'],
  ['国', '國', 'Guo'],
  ['东', '東', 'Dong'],
  ['兰', '蘭', 'Lan'],
  ['龙', '龍', 'Long'],
  ['凤', '鳳', 'Feng'],
  ['明', '明', 'Ming'],
  ['红', '紅', 'Hong'],
] as const;
const CORES = [
  ['瑞丰', '瑞豐'],
  ['云帆', '雲帆'],
  ['华信', '華信'],
  ['东方', '東方'],
  ['长城', '長城'],
  ['新源', '新源'],
  ['恒达', '恆達'],
  ['金龙', '金龍'],
  ['天翼', '天翼'],
  ['宏图', '宏圖'],
  ['广联', '廣聯'],
  ['万通', '萬通'],
  ['鼎盛', '鼎盛'],
  ['海纳', '海納'],
  ['远航', '遠航'],
] as const;
const TRADES = [
  ['科技', '科技'],
  ['贸易', '貿易'],
  ['电子', '電子'],
  ['网络', '網絡'],
  ['实业', '實業'],
] as const;
const CITIES = ['深圳', '上海', '北京', '广州', '杭州', '成都'] as const;
const LATIN = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wayne',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Wonka',
] as const;
const LATIN_FORMS = [
  ['Co., Ltd.', 'Co Ltd'],
  ['GmbH', 'G.m.b.H.'],
  ['LLC', 'L.L.C.'],
  ['S.A.R.L.', 'SARL'],
  ['Inc.', 'Incorporated'],
  ['Ltd', 'Limited'],
] as const;

export interface Person {
  key: number;
  zh: boolean;
  name: string;
  nameVariants: string[];
  company: string;
  companyVariants: string[];
  /** The short name people use for the company: its distinctive core (瑞丰, Acme). */
  shortCompany: string;
  mobile: string;
  email: string;
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

export function people(count: number, random: () => number): Person[] {
  const out: Person[] = [];
  const used = new Set<string>();
  for (let key = 0; out.length < count; key++) {
    const zh = random() < 0.6;
    const [s, g1, g2] = [pick(random, SURNAMES), pick(random, GIVEN), pick(random, GIVEN)];
    const mobile = `13${Math.floor(random() * 10)}${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const latinName = `${g1[2]}${g2[2].toLowerCase()} ${s[2]}`;
    let name: string;
    let nameVariants: string[];
    let company: string;
    let companyVariants: string[];
    let shortCompany: string;
    if (zh) {
      name = `${s[0]}${g1[0]}${g2[0]}`;
      // Traditional characters, spaces between characters, full-width spaces.
      nameVariants = [`${s[1]}${g1[1]}${g2[1]}`, `${s[0]} ${g1[0]} ${g2[0]}`, `${s[0]}\u3000${g1[0]}${g2[0]}`];
      const [core, trade, city] = [pick(random, CORES), pick(random, TRADES), pick(random, CITIES)];
      company = `${city}市${core[0]}${trade[0]}有限公司`;
      shortCompany = core[0];
      companyVariants = [
        `${core[1]}${trade[1]}（${city}）有限公司`,
        `${core[0]}${trade[0]}股份有限公司`,
        `${core[0]} ${trade[0]}`,
        `广东省${city}市${core[0]}${trade[0]}有限责任公司`,
      ];
    } else {
      name = latinName;
      nameVariants = [
        `${s[2]}, ${g1[2]}${g2[2].toLowerCase()}`,
        latinName.toUpperCase(),
        `${s[2]} ${g1[2]}${g2[2].toLowerCase()}`,
      ];
      const [brand, form] = [pick(random, LATIN), pick(random, LATIN_FORMS)];
      const second = pick(random, ['Trading', 'Systems', 'Labs', 'Foods', 'Logistics']);
      company = `${brand} ${second} ${form[0]}`;
      shortCompany = brand;
      companyVariants = [
        `${brand} ${second} ${form[1]}`,
        `${brand.toUpperCase()} ${second}`,
        `${brand} ${second} (Shenzhen) ${form[0]}`,
      ];
    }
    // Two seeded people never share both keys: they would be one person to any matcher.
    const id = `${nameKey(name)}|${companyKey(company)}`;
    if (used.has(id) || used.has(mobile)) continue;
    used.add(id);
    used.add(mobile);
    const local = `${s[2].toLowerCase()}.${g1[2].toLowerCase()}${key}`;
    const email =
      random() < 0.3 ? `${local}@gmail.com` : `${local}@${company.length % 3 === 0 ? 'mail' : 'corp'}${key}.example`;
    out.push({ key, zh, name, nameVariants, company, companyVariants, shortCompany, mobile, email });
  }
  return out;
}

/** Phone formats people type for one Chinese mobile. */
export function phoneFormats(mobile: string): string[] {
  const [a, b, c] = [mobile.slice(0, 3), mobile.slice(3, 7), mobile.slice(7)];
  return [`+86 ${a} ${b} ${c}`, `0086-${a}-${b}-${c}`, `(+86) ${mobile}`, `${a} ${b} ${c}`, `+86${mobile}`];
}

/** The same mailbox, typed another way: case, and at Gmail dots and a +tag. */
export function emailForms(email: string): string[] {
  const [local = '', domain = ''] = email.split('@');
  const forms = [email.toUpperCase(), ` ${email} `];
  if (domain === 'gmail.com')
    forms.push(
      `${local.replace('.', '')}+crm@googlemail.com`,
      `${local.replace(/\./g, '').split('').join('.')}@gmail.com`,
    );
  return forms;
}
