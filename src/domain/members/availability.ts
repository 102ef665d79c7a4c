import type { Member, MemberPause } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import { type AssigneeRef, findAssignee } from '../leads/work-lead.js';
import type { Clock } from '../shared/clock.js';
import { DomainError, isDomainError } from '../shared/errors.js';
import { parseWhen } from '../shared/when.js';
import type { Identity } from './identity.js';
import type { PauseTx } from './pause-store.js';

export interface AvailabilityDeps {
  store: TxStore<LeadTx & PauseTx>;
  teams: TeamDirectory;
  clock: Clock;
}

export interface AvailabilityRequest {
  actor: Identity;
  /** Someone else, for a manager (in their teams) or an admin (anywhere); absent, the person asking. */
  who?: AssigneeRef;
  /** When the pause ends, as typed ("fri 18:00", "in 3d"), read in the team's time zone; absent, until resumed. */
  until?: string;
}

export interface AvailabilityChange {
  name: string;
  self: boolean;
  until: Date | null;
  teamNames: string[];
  timeZone: string;
}

/**
 * A pause (leave, a trade fair) keeps leads from a person in every team it covers: they cannot
 * claim, and will get no assignment, until it ends or they are resumed. It is kept in the database,
 * so a restart or a new teams file does not undo it.
 */
export function pauseMember(deps: AvailabilityDeps, request: AvailabilityRequest): Promise<AvailabilityChange> {
  return changeAvailability(deps, request, true);
}

export function resumeMember(
  deps: AvailabilityDeps,
  request: Omit<AvailabilityRequest, 'until'>,
): Promise<AvailabilityChange> {
  return changeAvailability(deps, request, false);
}

async function changeAvailability(
  deps: AvailabilityDeps,
  request: AvailabilityRequest,
  pausing: boolean,
): Promise<AvailabilityChange> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const mine = (await tx.membershipsOf(request.actor)).filter((m) => m.active);
    const first = mine[0];
    if (!first) throw new DomainError('member.not_in_team', { team: '—' });
    const targets = request.who ? await othersToChange(tx, deps.teams, mine, request.who) : mine;
    const target = targets[0] as Member;
    const timeZone = requireTeam(deps.teams, target.teamId).timeZone;
    const until = pausing && request.until ? readUntil(request.until, now, timeZone) : null;
    const pause: MemberPause | null = pausing ? { since: now, until } : null;
    await tx.setPause(
      targets.map((m) => m.id),
      pause,
    );
    return {
      name: target.displayName,
      self: !request.who,
      until,
      teamNames: targets.map((m) => requireTeam(deps.teams, m.teamId).name),
      timeZone,
    };
  });
}

/** The memberships of the person named, in the teams the actor manages (every team for an admin). */
async function othersToChange(
  tx: LeadTx,
  teams: TeamDirectory,
  mine: readonly Member[],
  who: AssigneeRef,
): Promise<Member[]> {
  const managing = mine.filter((m) => m.role === 'manager' || m.role === 'admin');
  const teamIds = managing.some((m) => m.role === 'admin')
    ? teams.all().map((t) => t.id)
    : [...new Set(managing.map((m) => m.teamId))];
  if (teamIds.length === 0) throw new DomainError('pause.not_allowed');
  const found: Member[] = [];
  for (const teamId of teamIds) {
    try {
      found.push(await findAssignee(tx, requireTeam(teams, teamId), who));
    } catch (error) {
      // Not in this team: the person may be in another one the actor manages.
      if (!(isDomainError(error) && error.code === 'assign.not_member')) throw error;
    }
  }
  if (found.length > 0) return found;
  const label = 'name' in who ? who.name : 'identity' in who ? who.identity.externalId : who.memberId;
  throw new DomainError('assign.not_member', {
    member: label.slice(0, 40),
    team: teamIds.map((id) => requireTeam(teams, id).name).join(', '),
  });
}

function readUntil(text: string, now: Date, timeZone: string): Date {
  const when = parseWhen(text, { now, timeZone });
  if (when.ok) return when.at;
  const code =
    when.problem === 'past'
      ? 'pause.until_past'
      : when.problem === 'too_far'
        ? 'pause.until_too_far'
        : 'pause.until_unreadable';
  throw new DomainError(code, { text: text.slice(0, 60) });
}
