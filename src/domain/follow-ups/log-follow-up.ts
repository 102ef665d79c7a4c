import { authorize } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import { type FollowUpMethod, type FollowUpOutcome, formatLeadRef, type Lead } from '../leads/lead.js';
import type { LeadReads, LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { planMove } from '../leads/lifecycle.js';
import { followUpWindow, requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { desksChanged } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import { parseWhen } from '../shared/when.js';
import type { FollowUpTx } from './follow-up-store.js';

export interface LogFollowUpDeps {
  store: TxStore<LeadTx & FollowUpTx>;
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
  outcome?: FollowUpOutcome;
  /** What the rep will do next ("send the quote"). */
  nextStep?: string;
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
    const member = authorize(await actorOf(tx, input.actor), 'log', lead);

    const nextContactAt = input.next === undefined ? null : readNext(input.next, now, team.timeZone);
    const window = followUpWindow(team, now, nextContactAt ?? undefined, lead.grade);
    const { dueAt, remindAt } = window;
    const transition = planMove(lead, { kind: 'follow_up' });
    await tx.recordFollowUp({
      leadId: lead.id,
      memberId: member.id,
      method: input.method,
      note: input.note,
      at: now,
      nextContactAt,
      outcome: input.outcome ?? null,
      nextStep: input.nextStep?.trim() || null,
    });
    const moved = await tx.transition({
      leadId: lead.id,
      transition,
      action: 'followed_up',
      actorId: member.id,
      reason: input.method,
      at: now,
      window,
    });
    if (!moved) throw new DomainError('lead.moved', { lead: formatLeadRef(lead.id) });
    for (const desk of desksChanged(member.id, lead.ownerId)) await tx.enqueue(desk, now);
    const stage = transition.to.stage;
    return { lead: { ...lead, stage, followUpDueAt: dueAt, remindAt, reminderSentAt: null }, dueAt, nextContactAt };
  });
}

function readNext(text: string, now: Date, timeZone: string): Date {
  const parsed = parseWhen(text, { now, timeZone });
  if (parsed.ok) return parsed.at;
  throw new DomainError(`follow_up.next_${parsed.problem}`, { text: text.slice(0, 50) });
}

/** The lead a follow-up form opens for, or the reason the person may not log one on it (nothing is written). */
export async function followUpTarget(
  deps: { store: Pick<LeadReads, 'findLead' | 'membershipsOf'> },
  input: { leadId: number; actor: Identity },
) {
  const lead = await deps.store.findLead(input.leadId);
  if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
  authorize(await actorOf(deps.store, input.actor), 'log', lead);
  planMove(lead, { kind: 'follow_up' });
  return lead;
}
