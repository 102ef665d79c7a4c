// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at `at`, in ms (positive east of Greenwich). */
function offsetAt(at: Date, timeZone: string): number {
  const parts = partsFormatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the local calendar day containing `at` began in `timeZone` (daily quotas reset then). */
export function startOfLocalDay(at: Date, timeZone: string): Date {
  const local = new Date(at.getTime() + offsetAt(at, timeZone));
  const midnightAsUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // Re-read the offset at the guessed midnight so a DST change during the day is honoured.
  const guess = new Date(midnightAsUtc - offsetAt(at, timeZone));
  return new Date(midnightAsUtc - offsetAt(guess, timeZone));
}

/** A wall-clock time in some time zone; `month` is 1–12, `weekday` 0 (Sunday) – 6. */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The wall-clock time at `at` in `timeZone`. */
export function localTimeOf(at: Date, timeZone: string): LocalTime & { weekday: number } {
  const local = new Date(at.getTime() + offsetAt(at, timeZone));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

/** The local date of `at` in `timeZone`, as 2026-12-07. */
export function localDateOf(at: Date, timeZone: string): string {
  const { year, month, day } = localTimeOf(at, timeZone);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The instant a wall-clock time happens in `timeZone`. Days and months out of range roll over
 * (day 32 is the 1st of the next month); a time skipped by a DST change lands just after it.
 */
export function instantOf(local: LocalTime, timeZone: string): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const guess = new Date(asUtc - offsetAt(new Date(asUtc), timeZone));
  return new Date(asUtc - offsetAt(guess, timeZone));
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}
