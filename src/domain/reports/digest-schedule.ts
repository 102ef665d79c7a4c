import type { TeamPolicy } from '../leads/lead.js';
import { instantOf, localTimeOf } from '../shared/time-zone.js';
import { localDaysPeriod, type Period } from './period.js';

export type DigestKind = 'daily' | 'weekly';

/** When a team's digests go out, in its local time; weekday 0 is Sunday. */
export interface DigestSchedule {
  daily?: { hour: number; minute: number };
  weekly?: { weekday: number; hour: number; minute: number };
}

/** One digest to send: which, for which period, due when. `key` is unique per team and kind. */
export interface DigestSlot {
  kind: DigestKind;
  key: string;
  dueAt: Date;
  /** What it reports: a daily digest its own local day, a weekly one the seven days before its day. */
  period: Period;
}

/** A digest sent this long after it was due says it is late (the bot was down, or busy). */
export const LATE_AFTER_MS = 10 * 60_000;

const DAY = 86_400_000;

/**
 * The latest slot of `kind` at or before `now`, in the team's zone. Only the latest counts: a
 * digest missed while the bot was down goes out late once, and an older one that a newer slot has
 * replaced is not sent at all.
 */
export function latestDigestSlot(team: TeamPolicy, kind: DigestKind, now: Date): DigestSlot | null {
  const schedule = team.digest?.[kind];
  if (!schedule) return null;
  const local = localTimeOf(now, team.timeZone);
  const today = Date.UTC(local.year, local.month - 1, local.day);
  const back = kind === 'weekly' ? (local.weekday - (schedule as { weekday: number }).weekday + 7) % 7 : 0;
  for (let offset = back; offset <= back + 7; offset += kind === 'weekly' ? 7 : 1) {
    const day = new Date(today - offset * DAY);
    const date = { year: day.getUTCFullYear(), month: day.getUTCMonth() + 1, day: day.getUTCDate() };
    const dueAt = instantOf({ ...date, hour: schedule.hour, minute: schedule.minute }, team.timeZone);
    if (dueAt > now) continue;
    const key = day.toISOString().slice(0, 10);
    if (kind === 'daily') return { kind, key, dueAt, period: localDaysPeriod(date, 1, team.timeZone) };
    const weekBefore = new Date(day.getTime() - 7 * DAY);
    const first = {
      year: weekBefore.getUTCFullYear(),
      month: weekBefore.getUTCMonth() + 1,
      day: weekBefore.getUTCDate(),
    };
    return { kind, key, dueAt, period: localDaysPeriod(first, 7, team.timeZone) };
  }
  return null;
}

/** "18:00" → daily at 18:00; "mon 09:00" (or "周一 09:00") → weekly; null when unreadable. */
export function parseDigestTime(text: string): { weekday?: number; hour: number; minute: number } | null {
  const match =
    /^(?:(mon|tue|wed|thu|fri|sat|sun|周一|周二|周三|周四|周五|周六|周日)\s+)?([01]?\d|2[0-3]):([0-5]\d)$/i.exec(
      text.trim(),
    );
  if (!match) return null;
  const days = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  const zh = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
  const word = match[1]?.toLowerCase();
  const weekday = word === undefined ? undefined : Math.max(days.indexOf(word), zh.indexOf(word));
  return { ...(weekday === undefined ? {} : { weekday }), hour: Number(match[2]), minute: Number(match[3]) };
}

/** When the slot `key` (its local date) of `kind` was due, by the team's schedule; null without one. */
export function slotDueAt(team: TeamPolicy, kind: DigestKind, key: string): Date | null {
  const schedule = team.digest?.[kind];
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  if (!schedule || !year) return null;
  return instantOf({ year, month, day, hour: schedule.hour, minute: schedule.minute }, team.timeZone);
}
