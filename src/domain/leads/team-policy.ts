import type { Grade } from '../scoring/score-rules.js';
import { DomainError } from '../shared/errors.js';
import { addWorkingTime, subtractWorkingTime, workingTimeBetween } from '../sla/working-time.js';
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
  const remindAt = markBefore(team, from, dueAt, {
    beforeMs: team.remindBeforeMs,
    atShare: team.remindAtShare ?? 0.75,
  });
  return { dueAt, remindAt, reclaimAt: new Date(dueAt.getTime() + (team.graceAfterDueMs ?? 0)) };
}

/**
 * The conversion deadline a new owner gets (the team's `convertWithin`, in working time when the
 * team has working hours) and when they are warned of it; null when the team sets none.
 */
export function conversionWindow(team: TeamPolicy, from: Date): { dueAt: Date; warnAt: Date } | null {
  const within = team.convertWithinMs;
  if (!within) return null;
  const { calendar, timeZone } = team;
  const dueAt = calendar ? addWorkingTime(from, within, calendar, timeZone) : new Date(from.getTime() + within);
  const warnAt = markBefore(team, from, dueAt, {
    beforeMs: team.convertWarnBeforeMs,
    atShare: team.convertWarnAtShare ?? 0.8,
  });
  return { dueAt, warnAt };
}

/**
 * A step of the ladder between `from` and `dueAt`: a fixed time before the deadline, or a share of
 * the way to it, both in the team's working time when it has working hours; never before `from`.
 */
function markBefore(
  team: TeamPolicy,
  from: Date,
  dueAt: Date,
  step: { beforeMs: number | undefined; atShare: number },
): Date {
  const { calendar, timeZone } = team;
  const span = calendar ? workingTimeBetween(from, dueAt, calendar, timeZone) : dueAt.getTime() - from.getTime();
  const beforeMs = step.beforeMs ?? Math.round((1 - step.atShare) * span);
  const at = calendar ? subtractWorkingTime(dueAt, beforeMs, calendar, timeZone) : new Date(dueAt.getTime() - beforeMs);
  return new Date(Math.max(from.getTime(), at.getTime()));
}
