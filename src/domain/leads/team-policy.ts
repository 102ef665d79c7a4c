import type { Grade } from '../scoring/score-rules.js';
import { DomainError } from '../shared/errors.js';
import { addWorkingTime, subtractWorkingTime } from '../sla/working-time.js';
import type { TeamPolicy } from './lead.js';
import type { FollowUpWindow, TeamDirectory } from './lead-store.js';

export function requireTeam(teams: TeamDirectory, teamId: string): TeamPolicy {
  const team = teams.find(teamId);
  if (!team) throw new DomainError('team.unknown', { team: teamId });
  return team;
}

/**
 * The follow-up deadline and reminder time that start when a lead is claimed or followed up: the
 * team's SLA (or its grade's), counted in the team's working time when it has working hours. A
 * next contact the rep promised brings the deadline forward, never later than the SLA allows.
 */
export function followUpWindow(
  team: TeamPolicy,
  from: Date,
  nextContactAt?: Date,
  grade?: Grade,
): Required<FollowUpWindow> {
  const slaMs = (grade && team.followUpByGrade?.[grade]) ?? team.followUpMs;
  const { calendar, timeZone } = team;
  const sla = calendar ? addWorkingTime(from, slaMs, calendar, timeZone) : new Date(from.getTime() + slaMs);
  const dueAt = new Date(Math.min(sla.getTime(), nextContactAt?.getTime() ?? sla.getTime()));
  return windowFor(team, from, dueAt);
}

/** The reminder and reclaim times of a follow-up deadline `dueAt` set at `from`. */
export function windowFor(team: TeamPolicy, from: Date, dueAt: Date): Required<FollowUpWindow> {
  const { calendar, timeZone } = team;
  const remindFrom = calendar
    ? subtractWorkingTime(dueAt, team.remindBeforeMs, calendar, timeZone)
    : new Date(dueAt.getTime() - team.remindBeforeMs);
  const remindAt = new Date(Math.max(from.getTime(), remindFrom.getTime()));
  return { dueAt, remindAt, reclaimAt: new Date(dueAt.getTime() + (team.graceAfterDueMs ?? 0)) };
}

/**
 * The conversion deadline a new owner gets (the team's `convertWithin`, in working time when the
 * team has working hours) and when they are warned of it; null when the team sets none.
 */
export function conversionWindow(team: TeamPolicy, from: Date): { dueAt: Date; warnAt: Date } | null {
  const within = team.convertWithinMs;
  if (!within) return null;
  const warnBefore = team.convertWarnBeforeMs ?? Math.round(within / 5);
  const { calendar, timeZone } = team;
  if (!calendar)
    return { dueAt: new Date(from.getTime() + within), warnAt: new Date(from.getTime() + within - warnBefore) };
  const dueAt = addWorkingTime(from, within, calendar, timeZone);
  const warnAt = subtractWorkingTime(dueAt, warnBefore, calendar, timeZone);
  return { dueAt, warnAt: new Date(Math.max(from.getTime(), warnAt.getTime())) };
}
