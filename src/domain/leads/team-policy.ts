import { DomainError } from '../shared/errors.js';
import type { TeamPolicy } from './lead.js';
import type { TeamDirectory } from './lead-store.js';

export function requireTeam(teams: TeamDirectory, teamId: string): TeamPolicy {
  const team = teams.find(teamId);
  if (!team) throw new DomainError('team.unknown', { team: teamId });
  return team;
}

/**
 * The follow-up deadline and reminder time that start when a lead is claimed or followed up. A next
 * contact the rep promised brings the deadline forward, never later than the team's SLA allows.
 */
export function followUpWindow(team: TeamPolicy, from: Date, nextContactAt?: Date): { dueAt: Date; remindAt: Date } {
  const sla = from.getTime() + team.followUpMs;
  const dueAt = new Date(Math.min(sla, nextContactAt?.getTime() ?? sla));
  const remindAt = new Date(Math.max(from.getTime(), dueAt.getTime() - team.remindBeforeMs));
  return { dueAt, remindAt };
}
