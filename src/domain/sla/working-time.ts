import { instantOf, localTimeOf } from '../shared/time-zone.js';

/**
 * When a team works, in its own time zone: weekdays (0 is Sunday) between two local times, less
 * its holidays, plus make-up working days (调休) that fall on a day off. Deadlines count only this
 * time, so one set on Friday evening falls due on Monday morning, never at 3 a.m. on a Sunday.
 */
export interface WorkingCalendar {
  days: readonly number[];
  /** Minutes after local midnight: work runs from `startMinute` to `endMinute` of each working day. */
  startMinute: number;
  endMinute: number;
  /** Local dates ("2026-10-01") off, though on a working weekday. */
  holidays: readonly string[];
  /** Local dates worked, though on a day off. */
  workdays: readonly string[];
}

const DAY = 86_400_000;
/** No calendar has a year without working time (the teams file is checked); this bounds a search anyway. */
const MAX_DAYS = 800;

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const dateKey = (d: LocalDate) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

function shift(d: LocalDate, days: number): LocalDate & { weekday: number } {
  const x = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY);
  return { year: x.getUTCFullYear(), month: x.getUTCMonth() + 1, day: x.getUTCDate(), weekday: x.getUTCDay() };
}

/** The working window of a local date, as instants; null on a day off. */
function windowOf(d: LocalDate & { weekday: number }, calendar: WorkingCalendar, timeZone: string) {
  const key = dateKey(d);
  const working =
    calendar.workdays.includes(key) || (calendar.days.includes(d.weekday) && !calendar.holidays.includes(key));
  if (!working) return null;
  const at = (minute: number) =>
    instantOf({ ...d, hour: Math.floor(minute / 60), minute: minute % 60 }, timeZone).getTime();
  return { start: at(calendar.startMinute), end: at(calendar.endMinute) };
}

/** The instant `ms` of working time after `from` (work not yet started counts from its start). */
export function addWorkingTime(from: Date, ms: number, calendar: WorkingCalendar, timeZone: string): Date {
  let remaining = ms;
  const first = localTimeOf(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const window = windowOf(shift(first, i), calendar, timeZone);
    if (!window) continue;
    const cursor = Math.max(from.getTime(), window.start);
    if (cursor >= window.end) continue;
    if (remaining <= window.end - cursor) return new Date(cursor + remaining);
    remaining -= window.end - cursor;
  }
  return new Date(from.getTime() + ms);
}

/** The instant `ms` of working time before `until`. */
export function subtractWorkingTime(until: Date, ms: number, calendar: WorkingCalendar, timeZone: string): Date {
  let remaining = ms;
  const last = localTimeOf(until, timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const window = windowOf(shift(last, -i), calendar, timeZone);
    if (!window) continue;
    const cursor = Math.min(until.getTime(), window.end);
    if (cursor <= window.start) continue;
    if (remaining <= cursor - window.start) return new Date(cursor - remaining);
    remaining -= cursor - window.start;
  }
  return new Date(until.getTime() - ms);
}

/** How much working time lies between two instants (0 when `until` is not after `from`). */
export function workingTimeBetween(from: Date, until: Date, calendar: WorkingCalendar, timeZone: string): number {
  let total = 0;
  const first = localTimeOf(from, timeZone);
  for (let i = 0; i < MAX_DAYS; i++) {
    const day = shift(first, i);
    const window = windowOf(day, calendar, timeZone);
    if (window) total += Math.max(0, Math.min(until.getTime(), window.end) - Math.max(from.getTime(), window.start));
    if ((window?.end ?? instantOf({ ...day, hour: 23, minute: 59 }, timeZone).getTime()) >= until.getTime()) break;
  }
  return total;
}

/** Whether `at` falls inside the team's working hours. */
export function isWorkingTime(at: Date, calendar: WorkingCalendar, timeZone: string): boolean {
  const window = windowOf(shift(localTimeOf(at, timeZone), 0), calendar, timeZone);
  return window !== null && at.getTime() >= window.start && at.getTime() < window.end;
}
