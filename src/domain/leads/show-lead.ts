import type { Identity } from '../members/identity.js';
import { DomainError } from '../shared/errors.js';
import type { Member } from './lead.js';
import type { FollowUpEntry, HistoryEntry, LeadCardData, LeadReadModel } from './lead-read-model.js';
import type { LeadStore } from './lead-store.js';

export interface ShowLeadDeps {
  store: LeadStore;
  leads: LeadReadModel;
}

export interface LeadDetail extends LeadCardData {
  viewer: Member;
  /** Phone and e-mail are shown in full only to the owner and the team's managers and admins. */
  contactVisible: boolean;
  followUps: FollowUpEntry[];
  events: HistoryEntry[];
}

export const HISTORY_LIMIT = 20;

/**
 * Everything about one lead, for someone allowed to see it: an active member of its team sees the
 * pool and their own leads; the team's managers and admins see all of its leads.
 */
export async function showLead(deps: ShowLeadDeps, input: { leadId: number; actor: Identity }): Promise<LeadDetail> {
  const data = await deps.leads.cardData(input.leadId);
  if (!data) throw new DomainError('lead.not_found', { lead: input.leadId });
  const { lead } = data;
  const viewer = (await deps.store.membersByIdentity(input.actor)).find((m) => m.teamId === lead.teamId && m.active);
  if (!viewer) throw new DomainError('lead.not_visible', { lead: lead.id });
  const managesTeam = viewer.role === 'manager' || viewer.role === 'admin';
  const owns = lead.ownerId === viewer.id;
  if (!managesTeam && !owns && lead.status !== 'pooled') throw new DomainError('lead.not_visible', { lead: lead.id });
  const { followUps, events } = await deps.leads.history(lead.id, HISTORY_LIMIT);
  return { ...data, viewer, contactVisible: managesTeam || owns, followUps, events };
}
