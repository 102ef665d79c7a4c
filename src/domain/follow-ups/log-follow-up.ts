import type { FollowUpMethod, Lead } from '../leads/lead.js';
import type { LeadStore, TeamDirectory } from '../leads/lead-store.js';
import { followUpWindow, requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import { parseWhen } from '../shared/when.js';

export interface LogFollowUpDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
}

export interface LogFollowUpInput {
  leadId: number;
  actor: Identity;
  requestId?: string;
  method: FollowUpMethod;
  note: string;
  /** When the rep will next contact the lead, as typed ("tomorrow 10am", "明天上午10点"), read in the team's zone. */
  next?: string;
}

export interface FollowUpLogged {
  lead: Lead;
  dueAt: Date;
  /** The promised next contact, when one was given; later than `dueAt` when the SLA is shorter. */
  nextContactAt: Date | null;
}

/** Records a follow-up by the lead's owner and restarts the follow-up deadline. */
export async function logFollowUp(deps: LogFollowUpDeps, input: LogFollowUpInput): Promise<FollowUpLogged> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await handleOnce(tx, input.requestId, now);
    const lead = await tx.findLead(input.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = await tx.findMemberByIdentity(team.id, input.actor);
    if (!member) throw new DomainError('member.not_in_team', { team: team.name });
    if (!lead.ownerId) throw new DomainError('follow_up.lead_not_owned', { lead: lead.id });
    if (lead.ownerId !== member.id) throw new DomainError('follow_up.not_owner', { lead: lead.id });

    const nextContactAt = input.next === undefined ? null : readNext(input.next, now, team.timeZone);
    const { dueAt, remindAt } = followUpWindow(team, now, nextContactAt ?? undefined);
    const stage = lead.stage === 'new' ? 'contacted' : lead.stage;
    await tx.recordFollowUp({
      leadId: lead.id,
      memberId: member.id,
      method: input.method,
      note: input.note,
      at: now,
      followUpDueAt: dueAt,
      remindAt,
      nextContactAt,
      stage,
    });
    return { lead: { ...lead, stage, followUpDueAt: dueAt, remindAt, reminderSentAt: null }, dueAt, nextContactAt };
  });
}

function readNext(text: string, now: Date, timeZone: string): Date {
  const parsed = parseWhen(text, { now, timeZone });
  if (parsed.ok) return parsed.at;
  throw new DomainError(`follow_up.next_${parsed.problem}`, { text: text.slice(0, 50) });
}
