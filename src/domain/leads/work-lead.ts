import { authorize, type LeadAction } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { Identity } from '../members/identity.js';
import { desksChanged, type Notification } from '../notifications/notification.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import { closeReasonsOf, matchCloseReason } from './close-reasons.js';
import { type CloseReason, formatLeadRef, type Lead, type Member, type TeamPolicy } from './lead.js';
import type { LeadChange, LeadTx, TeamDirectory, TxStore } from './lead-store.js';
import { type LeadMove, type OpenStage, planMove } from './lifecycle.js';
import { conversionWindow, followUpWindow, requireTeam } from './team-policy.js';

/** `Tx`: the ports a step needs beside the lead's own (a conversion records its deal). */
export interface WorkLeadDeps<Tx extends LeadTx = LeadTx> {
  store: TxStore<Tx>;
  teams: TeamDirectory;
  clock: Clock;
}

/** Who acts on which lead; `requestId` makes a redelivered request change nothing. */
export interface WorkLeadTarget {
  leadId: number;
  actor: Identity;
  requestId?: string;
}

export interface LeadWorked<R = undefined> {
  /** The lead as it is after the move. */
  lead: Lead;
  /** The member the lead went to, for an assignment. */
  assignee?: Member;
  /** What the step's effects returned (a conversion's customer). */
  result: R;
}

/** What a use case knows once the lead, its team and the acting member are known. */
export interface WorkContext<Tx extends LeadTx = LeadTx> {
  lead: Lead;
  team: TeamPolicy;
  member: Member;
  tx: Tx;
  now: Date;
}

/** What a use case decides to do to a lead. */
export interface Step<R = undefined, Tx extends LeadTx = LeadTx> {
  action: LeadAction;
  plan(ctx: WorkContext<Tx>): Promise<PlannedWork<R>>;
}

export interface PlannedWork<R = undefined> {
  move: LeadMove;
  audit: Omit<LeadChange, 'leadId' | 'transition' | 'actorId' | 'at'>;
  notify?: Notification[];
  assignee?: Member;
  /** Writes that belong with the move (a conversion's customer and deal), run once it landed. */
  effects?: () => Promise<R>;
}

/**
 * The shape every "do something to a lead" command shares: lock the lead, ask the access policy,
 * plan the move with the transition table, write it with its audit row, queue the notifications.
 * A refusal at any point throws before anything is written.
 */
export async function workLead<R = undefined, Tx extends LeadTx = LeadTx>(
  deps: WorkLeadDeps<Tx>,
  target: WorkLeadTarget,
  step: Step<R, Tx>,
): Promise<LeadWorked<R>> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await handleOnce(tx, target.requestId, now);
    const lead = await tx.findLead(target.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: target.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = authorize(await actorOf(tx, target.actor), step.action, lead);
    const work = await step.plan({ lead, team, member, tx, now });
    const transition = planMove(lead, work.move);
    const moved = await tx.transition({
      leadId: lead.id,
      transition,
      actorId: member.id,
      at: now,
      ...work.audit,
    });
    if (!moved) throw new DomainError('lead.moved', { lead: formatLeadRef(lead.id) });
    const result = (await work.effects?.()) as R;
    await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    for (const notification of work.notify ?? []) await tx.enqueue(notification, now);
    for (const desk of desksChanged(member.id, lead.ownerId, transition.to.ownerId)) await tx.enqueue(desk, now);
    const after = (await tx.findLead(lead.id)) ?? { ...lead, ...transition.to };
    return { lead: after, result, ...(work.assignee ? { assignee: work.assignee } : {}) };
  });
}

/** Moves an owned lead to another open stage; moving back needs a reason. */
export function changeStage(deps: WorkLeadDeps, target: WorkLeadTarget, to: OpenStage, reason = '') {
  return workLead(deps, target, {
    action: 'stage',
    plan: async () => ({
      move: { kind: 'stage', to, reason },
      audit: { action: 'staged', reason: reason.trim() },
    }),
  });
}

/**
 * Closes a lead as lost or invalid. `text` starts with one of the team's reasons (its key, a label
 * from the teams file, or a name from `aliasesOf`, e.g. the reason's name in each language); the
 * rest is kept as a note. The reason decides lost or invalid.
 */
export function closeLead(
  deps: WorkLeadDeps,
  target: WorkLeadTarget,
  text: string,
  aliasesOf?: (key: string) => readonly string[],
) {
  return workLead(deps, target, {
    action: 'close',
    plan: async ({ lead, team, member }) => {
      const { reason, note } = requireCloseReason(team, text, aliasesOf);
      return {
        move: { kind: 'close', as: reason.as },
        audit: { action: 'closed', reason: withNote(reason.key, note), closeReason: reason.key },
        notify: lead.ownerId && lead.ownerId !== member.id ? [ownerTold(lead, 'dm.closed_by', member)] : [],
      };
    },
  });
}

/** Gives an owned lead back to the pool, with a reason; no cooldown, since it was given, not taken. */
export async function releaseLead(deps: WorkLeadDeps, target: WorkLeadTarget, reason: string) {
  if (!reason.trim()) throw new DomainError('release.needs_reason', { lead: formatLeadRef(target.leadId) });
  return workLead(deps, target, {
    action: 'release',
    plan: async ({ lead, member }) => ({
      move: { kind: 'release' },
      audit: { action: 'released', reason: reason.trim() },
      notify: lead.ownerId && lead.ownerId !== member.id ? [ownerTold(lead, 'dm.released_by', member)] : [],
    }),
  });
}

/** A DM to the lead's owner that someone else (a manager) acted on their lead. */
function ownerTold(lead: Lead, topic: 'dm.released_by' | 'dm.closed_by', by: Member): Notification {
  return {
    kind: 'member.dm',
    memberId: lead.ownerId as string,
    leadId: lead.id,
    topic,
    params: { by: by.displayName },
  };
}

/** Who to assign a lead to: a messenger identity (a mention) or the start of a member's name. */
export type AssigneeRef = { identity: Identity } | { name: string } | { memberId: string };

/** A manager gives a pooled or owned lead to an active member of its team; the new owner is told. */
export function assignLead(deps: WorkLeadDeps, target: WorkLeadTarget, to: AssigneeRef) {
  return workLead(deps, target, {
    action: 'assign',
    plan: async ({ lead, team, member, tx, now }) => {
      const assignee = await findAssignee(tx, team, to);
      if (assignee.id === lead.ownerId) {
        throw new DomainError('assign.already_owner', { lead: formatLeadRef(lead.id), member: assignee.displayName });
      }
      const notify: Notification[] = [
        {
          kind: 'member.dm',
          memberId: assignee.id,
          leadId: lead.id,
          topic: 'dm.assigned',
          params: { by: member.displayName },
        },
      ];
      if (lead.ownerId && lead.ownerId !== member.id) {
        notify.push({
          kind: 'member.dm',
          memberId: lead.ownerId,
          leadId: lead.id,
          topic: 'dm.reassigned_away',
          params: { to: assignee.displayName, by: member.displayName },
        });
      }
      return {
        move: { kind: 'assign', ownerId: assignee.id },
        audit: {
          action: 'assigned',
          reason: 'manager',
          window: followUpWindow(team, now, undefined, lead.grade),
          conversion: conversionWindow(team, now),
        },
        notify,
        assignee,
      };
    },
  });
}

/** A manager returns a lost or invalid lead to the pool for nurturing. */
export function reopenLead(deps: WorkLeadDeps, target: WorkLeadTarget, reason = '') {
  return workLead(deps, target, {
    action: 'reopen',
    plan: async () => ({ move: { kind: 'reopen' }, audit: { action: 'reopened', reason: reason.trim() } }),
  });
}

function requireCloseReason(
  team: TeamPolicy,
  text: string,
  aliasesOf?: (key: string) => readonly string[],
): { reason: CloseReason; note: string } {
  const reasons = closeReasonsOf(team);
  const match = matchCloseReason(reasons, text, aliasesOf);
  if (match) return match;
  const keys = reasons.map((r) => r.key).join(', ');
  throw new DomainError('close.unknown_reason', { reason: text.trim().slice(0, 40), reasons: keys });
}

/** The active member of `team` that `to` names: by id, identity, or a name that matches only one. */
export async function findAssignee(tx: LeadTx, team: TeamPolicy, to: AssigneeRef): Promise<Member> {
  if ('memberId' in to) {
    const member = (await tx.teamMembers(team.id)).find((m) => m.id === to.memberId && m.active);
    if (member) return member;
    throw new DomainError('assign.not_member', { member: to.memberId.slice(0, 40), team: team.name });
  }
  if ('identity' in to) {
    const member = await tx.findMemberByIdentity(team.id, to.identity);
    if (member?.active) return member;
    throw new DomainError('assign.not_member', { member: to.identity.externalId.slice(0, 40), team: team.name });
  }
  const wanted = to.name.trim().toLocaleLowerCase();
  const members = (await tx.teamMembers(team.id)).filter((m) => m.active);
  const exact = members.filter((m) => m.displayName.toLocaleLowerCase() === wanted);
  const matches =
    exact.length > 0 ? exact : members.filter((m) => m.displayName.toLocaleLowerCase().startsWith(wanted));
  if (matches.length === 1) return matches[0] as Member;
  if (matches.length === 0)
    throw new DomainError('assign.not_member', { member: to.name.slice(0, 40), team: team.name });
  throw new DomainError('assign.ambiguous', { member: to.name.slice(0, 40), matches: names(matches) });
}

const names = (members: Member[]) =>
  members
    .slice(0, 5)
    .map((m) => m.displayName)
    .join(', ');

const withNote = (key: string, note: string) => (note.trim() ? `${key}: ${note.trim()}` : key);

/** Who a manager may give `leadId` to: the active members of its team, by name; refused like an assignment would be. */
export async function assignableMembers(deps: WorkLeadDeps, target: WorkLeadTarget): Promise<Member[]> {
  return deps.store.transaction(async (tx) => {
    const lead = await tx.findLead(target.leadId);
    if (!lead) throw new DomainError('lead.not_found', { lead: target.leadId });
    authorize(await actorOf(tx, target.actor), 'assign', lead);
    planMove(lead, { kind: 'assign', ownerId: lead.ownerId ?? '' });
    return (await tx.teamMembers(lead.teamId)).filter((m) => m.active && m.id !== lead.ownerId);
  });
}
