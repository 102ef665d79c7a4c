import { seededRandom } from '../domain/scoring/calibrate.js';

/**
 * Realistic made-up leads for a demo: Chinese and English people at plausible companies, with
 * phones that are valid numbers of their country (libphonenumber reads them), e-mails on the
 * company's domain, the channels leads really come from, needs, budgets and behaviour. Seeded, so
 * a demo shows the same day every time; nothing is downloaded. A few people come back (a form sent
 * twice, the same person from another channel), as they do, so duplicates show too.
 */

type Random = () => number;
const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

const CN_SURNAMES = [
  ['王', 'wang'],
  ['李', 'li'],
  ['张', 'zhang'],
  ['刘', 'liu'],
  ['陈', 'chen'],
  ['杨', 'yang'],
  ['黄', 'huang'],
  ['赵', 'zhao'],
  ['周', 'zhou'],
  ['吴', 'wu'],
  ['徐', 'xu'],
  ['孙', 'sun'],
  ['林', 'lin'],
  ['何', 'he'],
] as const;
const CN_GIVEN = [
  ['伟', 'wei'],
  ['芳', 'fang'],
  ['娜', 'na'],
  ['敏', 'min'],
  ['静', 'jing'],
  ['磊', 'lei'],
  ['洋', 'yang'],
  ['艳', 'yan'],
  ['勇', 'yong'],
  ['杰', 'jie'],
  ['欣怡', 'xinyi'],
  ['子涵', 'zihan'],
  ['浩然', 'haoran'],
  ['雨桐', 'yutong'],
] as const;
const CN_CITIES = [
  ['深圳', 'East', 'sz'],
  ['上海', 'East', 'sh'],
  ['杭州', 'East', 'hz'],
  ['北京', 'North', 'bj'],
  ['天津', 'North', 'tj'],
  ['广州', 'South', 'gz'],
  ['成都', 'West', 'cd'],
  ['武汉', 'Central', 'wh'],
] as const;
const CN_CORES = [
  ['瑞丰', 'ruifeng'],
  ['华信', 'huaxin'],
  ['博远', 'boyuan'],
  ['恒通', 'hengtong'],
  ['启明', 'qiming'],
  ['中科', 'zhongke'],
  ['星辰', 'xingchen'],
  ['鼎盛', 'dingsheng'],
  ['云帆', 'yunfan'],
  ['海纳', 'haina'],
] as const;
const CN_TRADES = ['科技', '物流', '医疗器械', '教育科技', '智能制造', '供应链管理', '软件'] as const;
const CN_TITLES = ['采购经理', '市场总监', '运营负责人', 'IT 经理', '总经理', '销售总监', '产品经理'] as const;
const CN_NEEDS = [
  '想了解私有化部署和报价',
  '需要 200 人的销售团队使用，能否试用两周？',
  '现有 CRM 太复杂，想找更轻的线索分配工具',
  '希望和企业微信、飞书打通',
  '下季度预算已批，想尽快上线',
  '先看看功能，暂时没有预算',
] as const;

const EN_FIRST = [
  'Emma',
  'Oliver',
  'Amelia',
  'Jack',
  'Sophia',
  'Liam',
  'Grace',
  'Noah',
  'Chloe',
  'Ethan',
  'Priya',
  'Daniel',
  'Hannah',
  'Lucas',
] as const;
const EN_LAST = [
  'Clarke',
  'Walker',
  'Bennett',
  'Hughes',
  'Patel',
  'Morgan',
  'Foster',
  'Reid',
  'Turner',
  'Shaw',
  'Ellis',
  'Barnes',
  'Murphy',
  'Khan',
] as const;
const EN_CORES = [
  'Northwind',
  'Bluefield',
  'Harbor',
  'Crestline',
  'Oakridge',
  'Silverline',
  'Brightwater',
  'Redwood',
  'Summit',
  'Ironbridge',
] as const;
const EN_TRADES = [
  ['Logistics', 'Ltd'],
  ['Software', 'Ltd'],
  ['Health', 'plc'],
  ['Analytics', 'Ltd'],
  ['Manufacturing', 'Ltd'],
  ['Learning', 'Ltd'],
] as const;
const EN_REGIONS = ['London', 'Manchester', 'Leeds', 'Bristol', 'Edinburgh'] as const;
const EN_TITLES = [
  'Head of Sales',
  'Procurement Manager',
  'Operations Director',
  'CTO',
  'Marketing Lead',
  'Founder',
] as const;
const EN_NEEDS = [
  'Looking for a lead routing tool that works inside Slack.',
  'We have 40 reps and leads sit unanswered for days. Can we trial it?',
  'Need round robin by territory, and a daily summary for managers.',
  'Budget approved for Q1; would like a demo this week.',
  'Just researching options for now.',
] as const;

/** Where leads come from, weighted as a typical inbound team sees them. */
const SOURCES = [
  ['website', 5],
  ['search_ads', 3],
  ['event', 2],
  ['referral', 2],
  ['social_media', 2],
  ['partner_exchange', 1],
] as const;

export interface DemoLeadOptions {
  /** The team the leads are sent to (`team` in the intake API). */
  team: string;
  seed?: number;
  /** The share of people written in Chinese; the rest in English (0.6 unless given). */
  chinese?: number;
  /** The share of leads that are someone who came before, again (0.06 unless given). */
  repeats?: number;
}

/** One lead as the intake API takes it. */
export type DemoLead = Record<string, unknown> & { team: string; name: string };

/** A stream of demo leads: `next()` gives the next one, the same sequence for the same seed. */
export function demoLeads(options: DemoLeadOptions): { next(): DemoLead } {
  const random = seededRandom(options.seed ?? 20261207);
  const seen: DemoLead[] = [];
  let serial = 0;
  return {
    next() {
      serial++;
      const again = seen.length > 5 && random() < (options.repeats ?? 0.06);
      const lead = again ? comeBack(random, pick(random, seen)) : newPerson(random, options, serial);
      if (!again) seen.push(lead);
      return lead;
    },
  };
}

function newPerson(random: Random, options: DemoLeadOptions, serial: number): DemoLead {
  const chinese = random() < (options.chinese ?? 0.6);
  const person = chinese ? chinesePerson(random, serial) : englishPerson(random, serial);
  return { team: options.team, ...person, ...channel(random), ...behaviour(random) };
}

function chinesePerson(random: Random, serial: number) {
  const [surname, surnamePinyin] = pick(random, CN_SURNAMES);
  const [given, givenPinyin] = pick(random, CN_GIVEN);
  const [city, region, cityCode] = pick(random, CN_CITIES);
  const [core, corePinyin] = pick(random, CN_CORES);
  const trade = pick(random, CN_TRADES);
  // A mobile of a real range, different for every person.
  const mobile = `1${pick(random, ['38', '39', '58', '86', '87'])}${String(10_000_000 + ((serial * 7919) % 89_999_999)).padStart(8, '0')}`;
  const budget = pick(random, [null, { amount: 50_000 }, { min: 100_000, max: 200_000 }, { min: 300_000 }]);
  return {
    name: `${surname}${given}`,
    company: `${city}${core}${trade}有限公司`,
    title: pick(random, CN_TITLES),
    phone: random() < 0.5 ? mobile : `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
    email: `${surnamePinyin}.${givenPinyin}${serial}@${corePinyin}-${cityCode}.example.cn`,
    region,
    need: pick(random, CN_NEEDS),
    ...(budget ? { budget: { ...budget, currency: 'CNY' } } : {}),
  };
}

function englishPerson(random: Random, serial: number) {
  const first = pick(random, EN_FIRST);
  const last = pick(random, EN_LAST);
  const core = pick(random, EN_CORES);
  const [trade, form] = pick(random, EN_TRADES);
  // 020 7946 0000–0999 is a London range the UK regulator keeps for drama: valid, never anyone's.
  const uk = `+44 20 7946 0${String(serial % 1000).padStart(3, '0')}`;
  const budget = pick(random, [null, { amount: 5_000 }, { min: 10_000, max: 20_000 }, { amount: 50_000 }]);
  return {
    name: `${first} ${last}`,
    company: `${core} ${trade} ${form}`,
    title: pick(random, EN_TITLES),
    phone: uk,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${serial}@${core.toLowerCase()}${trade.toLowerCase()}.example.co.uk`,
    region: pick(random, EN_REGIONS),
    need: pick(random, EN_NEEDS),
    ...(budget ? { budget: { ...budget, currency: 'GBP' } } : {}),
  };
}

function channel(random: Random) {
  const total = SOURCES.reduce((sum, [, weight]) => sum + weight, 0);
  let at = random() * total;
  for (const [source, weight] of SOURCES) {
    at -= weight;
    if (at < 0) return { source };
  }
  return { source: 'website' };
}

/** What a person did before they asked: visits, downloads, events, as the score reads them. */
function behaviour(random: Random) {
  const visits = Math.floor(random() * 12);
  return {
    signals: {
      visits,
      pageViews: visits * (1 + Math.floor(random() * 5)),
      downloads: random() < 0.3 ? 1 + Math.floor(random() * 3) : 0,
      eventsAttended: random() < 0.15 ? 1 : 0,
    },
  };
}

/** The same person again: the form sent twice, or from another channel with the phone typed another way. */
function comeBack(random: Random, before: DemoLead): DemoLead {
  const phone = String(before.phone ?? '');
  const retyped = phone.startsWith('+') ? phone : phone.replaceAll(' ', '');
  return { ...before, phone: retyped, ...channel(random), ...behaviour(random) };
}
