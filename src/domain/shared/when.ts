import { instantOf, type LocalTime, localTimeOf } from './time-zone.js';

/**
 * Reads a moment as reps type it, in English or Chinese, in the team's time zone: "tomorrow 10am",
 * "明天上午10点", "in 3d", "3天后", "周五", "next mon 15:00", "下周一下午3点半", "2026-12-01 14:00". A day
 * with no time means 09:00; a time with no day means the next time the clock shows it. The moment
 * must lie ahead, and within a year.
 */
export type WhenProblem = 'unreadable' | 'past' | 'too_far';
export type ParsedWhen = { ok: true; at: Date } | { ok: false; problem: WhenProblem };

export const DEFAULT_HOUR = 9;
const MAX_AHEAD_MS = 366 * 86_400_000;
const MAX_INPUT = 100;

const UNIT_MS: Record<string, number> = {
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  分钟: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  小时: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  天: 86_400_000,
  w: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
  周: 7 * 86_400_000,
  星期: 7 * 86_400_000,
};

const EN_WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ZH_WEEKDAYS: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };
const ZH_DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 0–99 written in Chinese numerals ("十", "十二", "二十五") or digits; null otherwise. */
function number(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) return Number(text);
  if (!/^[零〇一二两三四五六七八九十]{1,3}$/.test(text)) return null;
  const [tens, ones] = text.includes('十') ? text.split('十') : ['', text];
  const t = tens === '' ? (text.includes('十') ? 1 : 0) : ZH_DIGITS[tens as string];
  const o = ones === '' ? 0 : ZH_DIGITS[ones as string];
  return t === undefined || o === undefined ? null : t * 10 + o;
}

export function parseWhen(input: string, context: { now: Date; timeZone: string }): ParsedWhen {
  const text = input.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '' || text.length > MAX_INPUT) return { ok: false, problem: 'unreadable' };
  const at = absolute(text, context.timeZone) ?? relative(text, context.now) ?? dayAndTime(text, context);
  if (!at || Number.isNaN(at.getTime())) return { ok: false, problem: 'unreadable' };
  if (at.getTime() <= context.now.getTime()) return { ok: false, problem: 'past' };
  if (at.getTime() - context.now.getTime() > MAX_AHEAD_MS) return { ok: false, problem: 'too_far' };
  return { ok: true, at };
}

/** ISO dates: "2026-12-01", "2026-12-01 14:00", "2026-12-01t14:00", or with an offset or "z". */
function absolute(text: string, timeZone: string): Date | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?(z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!iso) return null;
  const [, y, mo, d, h, mi, zone] = iso;
  const local = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? DEFAULT_HOUR),
    minute: Number(mi ?? 0),
  };
  if (!validDate(local) || local.hour > 23 || local.minute > 59) return null;
  if (zone) return new Date(Date.parse(`${y}-${mo}-${d}T${h ?? '09'}:${mi ?? '00'}:00${zone === 'z' ? 'Z' : zone}`));
  return instantOf(local, timeZone);
}

function validDate(local: LocalTime): boolean {
  const probe = new Date(Date.UTC(local.year, local.month - 1, local.day));
  return probe.getUTCMonth() === local.month - 1 && probe.getUTCDate() === local.day;
}

/** "in 3d", "in 2 hours", "3天后", "两小时后". */
function relative(text: string, now: Date): Date | null {
  const en = /^in (\d{1,4}) ?([a-z]+)$/.exec(text);
  const zh = /^([\d零〇一二两三四五六七八九十]{1,4}) ?(分钟|小时|天|周|星期)(?:以)?后$/.exec(text);
  const [amount, unit] = en ? [Number(en[1]), en[2]] : zh ? [number(zh[1] as string), zh[2]] : [null, null];
  const ms = unit ? UNIT_MS[unit] : undefined;
  return amount !== null && ms !== undefined ? new Date(now.getTime() + amount * ms) : null;
}

const DAY_WORD =
  /^(today|tomorrow|day after tomorrow|今天|今日|明天|明日|后天|(?:(next) )?(sun|mon|tue|wed|thu|fri|sat)(?:day|s|sday|nesday|rs|rsday|urday)?(?=$| )|(下)?(?:周|星期|礼拜)([日天一二三四五六]))/;

/** A day word and/or a time: "tomorrow 10am", "明天上午10点", "fri", "下周一下午3点半", "15:00". */
function dayAndTime(text: string, context: { now: Date; timeZone: string }): Date | null {
  const today = localTimeOf(context.now, context.timeZone);
  const dayMatch = DAY_WORD.exec(text);
  const rest = (dayMatch ? text.slice(dayMatch[0].length) : text).trim();
  const time = rest === '' ? null : timeOfDay(rest);
  if (rest !== '' && !time) return null;
  if (!dayMatch) {
    if (!time) return null;
    const at = instantOf({ ...today, ...time }, context.timeZone);
    return at.getTime() > context.now.getTime()
      ? at
      : instantOf({ ...today, day: today.day + 1, ...time }, context.timeZone);
  }
  const offset = dayOffset(dayMatch, today.weekday);
  if (offset === null) return null;
  return instantOf(
    { ...today, day: today.day + offset, ...(time ?? { hour: DEFAULT_HOUR, minute: 0 }) },
    context.timeZone,
  );
}

/** Days from today the matched day word names. A bare weekday is the next one after today. */
function dayOffset(match: RegExpExecArray, weekday: number): number | null {
  const [word, , nextEn, enDay, nextZh, zhDay] = match;
  if (word === 'today' || word === '今天' || word === '今日') return 0;
  if (word === 'tomorrow' || word === '明天' || word === '明日') return 1;
  if (word === 'day after tomorrow' || word === '后天') return 2;
  const target = enDay ? EN_WEEKDAYS.indexOf(enDay) : zhDay ? ZH_WEEKDAYS[zhDay] : undefined;
  if (target === undefined || target < 0) return null;
  if (nextEn || nextZh) {
    // The named day of next week, weeks starting on Monday.
    const toNextMonday = (8 - weekday) % 7 || 7;
    return toNextMonday + ((target + 6) % 7);
  }
  return (target - weekday + 7) % 7 || 7;
}

/** "10am", "3:30 pm", "15:00", "上午10点", "下午3点半", "晚上八点", "10点30分", "中午". */
function timeOfDay(text: string): { hour: number; minute: number } | null {
  const en = /^(?:at )?(\d{1,2})(?::(\d{2}))? ?(am|pm)?$/.exec(text);
  if (en)
    return clock(
      Number(en[1]),
      Number(en[2] ?? 0),
      en[3] === 'pm' ? 'pm' : en[3] === 'am' ? 'am' : null,
      !en[2] && !en[3],
    );
  if (text === '中午') return { hour: 12, minute: 0 };
  const zh =
    /^(上午|早上|早晨|中午|下午|傍晚|晚上)?([\d零〇一二两三四五六七八九十]{1,3})(?:点|时|:)(半|[\d零〇一二两三四五六七八九十]{1,3}(?:分)?)?$/.exec(
      text,
    );
  if (!zh) return null;
  const hour = number(zh[2] as string);
  const minuteText = zh[3]?.replace('分', '');
  const minute = minuteText === undefined ? 0 : minuteText === '半' ? 30 : number(minuteText);
  if (hour === null || minute === null || minute > 59) return null;
  const h = chineseHour(zh[1], hour);
  return h === null ? null : { hour: h, minute };
}

/** The 24-hour hour of "下午3点" and the like; null where the words and the number disagree. */
function chineseHour(part: string | undefined, hour: number): number | null {
  switch (part) {
    case '下午':
    case '傍晚':
    case '晚上':
      return hour >= 1 && hour <= 11 ? hour + 12 : part === '下午' && hour === 12 ? 12 : null;
    case '中午':
      return hour === 11 || hour === 12 ? hour : hour >= 1 && hour <= 2 ? hour + 12 : null;
    case undefined:
      return hour <= 23 ? hour : null;
    default:
      return hour <= 12 ? hour : null;
  }
}

function clock(
  hour: number,
  minute: number,
  half: 'am' | 'pm' | null,
  bareNumber: boolean,
): { hour: number; minute: number } | null {
  // A bare "10" is too easily a count or a lead number to read as a time.
  if (bareNumber || minute > 59) return null;
  if (half) {
    if (hour < 1 || hour > 12) return null;
    return { hour: (hour % 12) + (half === 'pm' ? 12 : 0), minute };
  }
  return hour <= 23 ? { hour, minute } : null;
}
