import type { Grade } from '../scoring/score-rules.js';
import { DomainError } from '../shared/errors.js';
import { addWorkingTime, subtractWorkingTime } from '../sla/working-time.js';
import type { TeamPolicy } from './lead.js';
import type { TeamDirectory } from './lead-store.js';

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
): { dueAt: Date; remindAt: Date } {
  const slaMs = (grade && team.followUpByGrade?.[grade]) ?? team.followUpMs;
  const { calendar, timeZone } = team;
  const sla = calendar ? addWorkingTime(from, slaMs, calendar, timeZone) : new Date(from.getTime() + slaMs);
  const dueAt = new Date(Math.min(sla.getTime(), nextContactAt?.getTime() ?? sla.getTime()));
  const remindFrom = calendar
    ? subtractWorkingTime(dueAt, team.remindBeforeMs, calendar, timeZone)
    : new Date(dueAt.getTime() - team.remindBeforeMs);
  return { dueAt, remindAt: new Date(Math.max(from.getTime(), remindFrom.getTime())) };
}
