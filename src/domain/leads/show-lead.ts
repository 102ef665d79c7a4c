import { authorize, decideAccess } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { Identity } from '../members/identity.js';
import { DomainError } from '../shared/errors.js';
import type { Member } from './lead.js';
import type { FollowUpEntry, HistoryEntry, LeadCardData, LeadReadModel } from './lead-read-model.js';
import type { LeadReads } from './lead-store.js';

export interface ShowLeadDeps {
  store: LeadReads;
  leads: LeadReadModel;
}

export interface LeadDetail extends LeadCardData {
  viewer: Member;
  /** Phone and e-mail are shown in full only to those the policy lets see them (owner, managers, admins). */
  contactVisible: boolean;
  followUps: FollowUpEntry[];
  events: HistoryEntry[];
}

export const HISTORY_LIMIT = 20;

/** Everything about one lead, for someone the access policy lets see it. */
export async function showLead(deps: ShowLeadDeps, input: { leadId: number; actor: Identity }): Promise<LeadDetail> {
  const data = await deps.leads.cardData(input.leadId);
  if (!data) throw new DomainError('lead.not_found', { lead: input.leadId });
  const { lead } = data;
  const actor = await actorOf(deps.store, input.actor);
  const viewer = authorize(actor, 'view', lead);
  const { followUps, events } = await deps.leads.history(lead.id, HISTORY_LIMIT);
  return { ...data, viewer, contactVisible: decideAccess(actor, 'see_contact', lead).allowed, followUps, events };
}
