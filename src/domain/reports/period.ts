import { instantOf, type LocalTime, localTimeOf } from '../shared/time-zone.js';

/** A named stretch of a team's local calendar, and the one of the same length just before it. */
export interface Period {
  name: PeriodName;
  /** Inclusive start and exclusive end, as instants (the local midnights of the team's zone). */
  from: Date;
  to: Date;
  /** Set for a range: its first and last day as typed, for the report's title. */
  days?: { first: string; last: string };
  previous: { from: Date; to: Date };
}

/** A period of whole local days, whose first and last day are known. */
export type DaysPeriod = Period & { days: { first: string; last: string } };

export const PERIOD_NAMES = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
  'range',
] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

export type PeriodResult =
  | { ok: true; period: Period }
  | { ok: false; problem: 'unreadable' | 'reversed' | 'too_long' };

/** Words people type for each period, in English and Chinese. */
const WORDS: Record<string, Exclude<PeriodName, 'range'>> = {
  today: 'today',
  今天: 'today',
  今日: 'today',
  yesterday: 'yesterday',
  昨天: 'yesterday',
  'this week': 'this_week',
  thisweek: 'this_week',
  week: 'this_week',
  本周: 'this_week',
  这周: 'this_week',
  'last week': 'last_week',
  lastweek: 'last_week',
  上周: 'last_week',
  'this month': 'this_month',
  thismonth: 'this_month',
  month: 'this_month',
  本月: 'this_month',
  这个月: 'this_month',
  'last month': 'last_month',
  lastmonth: 'last_month',
  上月: 'last_month',
  上个月: 'last_month',
};

export const MAX_RANGE_DAYS = 366;
const DAY = 86_400_000;

/** A local wall-clock time as if it were UTC: day arithmetic on it ignores DST, as calendars do. */
const naive = (l: LocalTime) => Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute);
function fromNaive(ms: number): LocalTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
}
const midnight = (l: LocalTime): LocalTime => ({ ...l, hour: 0, minute: 0 });

/** True when `text` names a period, so a command can tell "funnel east this week" apart. */
export function isPeriodWord(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t in WORDS || /^\d{4}-\d{2}-\d{2}\s*(?:\.\.|~|至|到)\s*\d{4}-\d{2}-\d{2}$/.test(t);
}

/**
 * Reads a period in the team's time zone: "today", "last week" (weeks start on Monday), "上月",
 * "2026-11-01..2026-11-15" (both days included). Every period runs from a local midnight to a
 * local midnight, and its previous period is the same number of local days just before it.
 */
export function parsePeriod(text: string, ctx: { now: Date; timeZone: string }): PeriodResult {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const today = midnight(localTimeOf(ctx.now, ctx.timeZone));
  const named = WORDS[t] ?? (t === '' ? 'this_week' : undefined);
  if (named)
    return { ok: true, period: calendarPeriod(named, today, localTimeOf(ctx.now, ctx.timeZone).weekday, ctx.timeZone) };
  const range = /^(\d{4})-(\d{2})-(\d{2})\s*(?:\.\.|~|至|到)\s*(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (!range) return { ok: false, problem: 'unreadable' };
  const [y1, m1, d1, y2, m2, d2] = range.slice(1).map(Number) as [number, number, number, number, number, number];
  const first = Date.UTC(y1, m1 - 1, d1);
  const last = Date.UTC(y2, m2 - 1, d2);
  const valid = (ms: number, y: number, m: number, d: number) => {
    const x = new Date(ms);
    return x.getUTCFullYear() === y && x.getUTCMonth() === m - 1 && x.getUTCDate() === d;
  };
  if (!valid(first, y1, m1, d1) || !valid(last, y2, m2, d2)) return { ok: false, problem: 'unreadable' };
  if (last < first) return { ok: false, problem: 'reversed' };
  if ((last - first) / DAY + 1 > MAX_RANGE_DAYS) return { ok: false, problem: 'too_long' };
  const period = between('range', first, last + DAY, ctx.timeZone);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { ok: true, period: { ...period, days: { first: day(first), last: day(last) } } };
}

function calendarPeriod(
  name: Exclude<PeriodName, 'range'>,
  today: LocalTime,
  weekday: number,
  timeZone: string,
): Period {
  const day0 = naive(today);
  const monday = day0 - ((weekday + 6) % 7) * DAY;
  const monthStart = (offset: number) => Date.UTC(today.year, today.month - 1 + offset, 1);
  switch (name) {
    case 'today':
      return between(name, day0, day0 + DAY, timeZone);
    case 'yesterday':
      return between(name, day0 - DAY, day0, timeZone);
    case 'this_week':
      return between(name, monday, monday + 7 * DAY, timeZone);
    case 'last_week':
      return between(name, monday - 7 * DAY, monday, timeZone);
    case 'this_month':
      return between(name, monthStart(0), monthStart(1), timeZone);
    case 'last_month':
      return between(name, monthStart(-1), monthStart(0), timeZone);
  }
}

/** The period between two local midnights (naive ms), and the previous one of the same length. */
function between(name: PeriodName, start: number, end: number, timeZone: string): Period {
  const at = (ms: number) => instantOf(fromNaive(ms), timeZone);
  const length = end - start;
  return {
    name,
    from: at(start),
    to: at(end),
    previous: { from: at(start - length), to: at(start) },
  };
}

/** The `days` local days starting at the local date `first` (e.g. a digest's day or week). */
export function localDaysPeriod(
  first: { year: number; month: number; day: number },
  days: number,
  timeZone: string,
): DaysPeriod {
  const start = Date.UTC(first.year, first.month - 1, first.day);
  const end = start + days * DAY;
  const label = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { ...between('range', start, end, timeZone), days: { first: label(start), last: label(end - DAY) } };
}

/** How many local days a trend chart shows. */
export const TREND_DAYS = 14;

/**
 * The local days a trend shows: the `TREND_DAYS` days up to the period's last day, or up to today
 * while the period is still running (a trend of "this month" ends today, not on the 30th).
 */
export function trendPeriod(period: Period, now: Date, timeZone: string): DaysPeriod {
  const lastInstant = new Date(Math.min(period.to.getTime() - 1, now.getTime()));
  const last = localTimeOf(lastInstant, timeZone);
  const first = new Date(Date.UTC(last.year, last.month - 1, last.day) - (TREND_DAYS - 1) * DAY);
  return localDaysPeriod(
    { year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: first.getUTCDate() },
    TREND_DAYS,
    timeZone,
  );
}

/** Every local day label ("2026-11-16") from `first` to `last`, both included. */
export function dayLabels(days: { first: string; last: string }): string[] {
  const labels: string[] = [];
  for (let ms = Date.parse(`${days.first}T00:00:00Z`); ms <= Date.parse(`${days.last}T00:00:00Z`); ms += DAY)
    labels.push(new Date(ms).toISOString().slice(0, 10));
  return labels;
}
