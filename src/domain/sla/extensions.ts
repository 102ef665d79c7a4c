import { authorize } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import { formatLeadRef, type Lead } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam, windowFor } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import { desksChanged } from '../notifications/notification.js';
import { tellManagers } from '../notifications/tell-managers.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { ExtensionTx } from './sla-store.js';
import { addWorkingTime } from './working-time.js';

export interface ExtensionDeps {
  store: TxStore<LeadTx & ExtensionTx>;
  teams: TeamDirectory;
  clock: Clock;
}

/**
 * `/lead extend <lead> <why>`: the owner asks for more time on their follow-up deadline; the team's
 * managers get a DM to approve or deny it. One open request per lead; refused when the team offers
 * no extensions or the deadline has had all it may.
 */
export async function requestExtension(
  deps: ExtensionDeps,
  input: { leadId: number; actor: Identity; reason: string },
): Promise<{ lead: Lead; managers: number }> {
  const now = deps.clock.now();
  const reason = input.reason.trim();
  if (reason === '') throw new DomainError('extension.needs_reason');
  return deps.store.transaction(async (tx) => {
    const lead = await tx.findLead(input.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = authorize(await actorOf(tx, input.actor), 'log', lead);
    const ref = formatLeadRef(lead.id);
    if (lead.status !== 'owned' || lead.ownerId !== member.id) throw new DomainError('access.not_owner', { lead: ref });
    if (!team.extension) throw new DomainError('extension.not_offered', { team: team.name });
    if (await tx.pendingExtension(lead.id)) throw new DomainError('extension.pending', { lead: ref });
    const managers = await tx.managersOf(team.id);
    if (managers.length === 0) throw new DomainError('extension.no_manager', { team: team.name });
    await tx.createExtensionRequest({ leadId: lead.id, memberId: member.id, reason: reason.slice(0, 500), at: now });
    const params = { owner: member.displayName, reason: reason.slice(0, 500) };
    await tellManagers(tx, managers, { leadId: lead.id, topic: 'dm.extension_requested', params }, now);
    return { lead, managers: managers.length };
  });
}

/**
 * `/lead approve <lead>` or `/lead deny <lead> [why]`, by a manager of the lead's team: approval
 * moves the deadline by the team's `extension.by` (in working time when it has working hours),
 * never past `extension.max` in all for one deadline; both answers reach the rep, and the card and
 * desk show the new deadline.
 */
export async function answerExtension(
  deps: ExtensionDeps,
  input: { leadId: number; actor: Identity; approve: boolean; note?: string },
): Promise<{ lead: Lead; dueAt: Date | null }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const lead = await tx.findLead(input.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: input.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const manager = authorize(await actorOf(tx, input.actor), 'assign', lead);
    const ref = formatLeadRef(lead.id);
    const request = await tx.pendingExtension(lead.id);
    if (!request) throw new DomainError('extension.none_pending', { lead: ref });
    const decided = { id: request.id, decidedBy: manager.id, at: now };
    if (lead.status !== 'owned' || lead.ownerId !== request.memberId || !lead.followUpDueAt || !team.extension) {
      await tx.decideExtension({ ...decided, status: 'moot' });
      throw new DomainError('extension.moot', { lead: ref });
    }
    const dm = (topic: 'dm.extension_approved' | 'dm.extension_denied', params: Record<string, string>) =>
      tx.enqueue({ kind: 'member.dm', memberId: request.memberId, leadId: lead.id, topic, params }, now);
    if (!input.approve) {
      await tx.decideExtension({ ...decided, status: 'denied' });
      await dm('dm.extension_denied', { by: manager.displayName, note: (input.note ?? '').trim().slice(0, 300) });
      return { lead, dueAt: null };
    }
    const { by, max } = team.extension;
    const dueAt = team.calendar
      ? addWorkingTime(lead.followUpDueAt, by, team.calendar, team.timeZone)
      : new Date(lead.followUpDueAt.getTime() + by);
    const extended = await tx.extendDeadline({
      leadId: lead.id,
      ownerId: request.memberId,
      window: windowFor(team, now, dueAt),
      byMs: by,
      maxMs: max,
      actorId: manager.id,
      reason: request.reason,
      at: now,
    });
    if (!extended) throw new DomainError('extension.over_max', { lead: ref });
    await tx.decideExtension({ ...decided, status: 'approved', dueBefore: lead.followUpDueAt, dueAfter: dueAt });
    await dm('dm.extension_approved', { by: manager.displayName, due: dueAt.toISOString() });
    await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    for (const desk of desksChanged(request.memberId)) await tx.enqueue(desk, now);
    return { lead, dueAt };
  });
}
