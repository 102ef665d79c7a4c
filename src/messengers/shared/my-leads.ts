import type { Lead } from '../../domain/leads/lead.js';
import { listMyLeads, type MyLeadsFilter } from '../../domain/leads/list-my-leads.js';
import type { Identity } from '../../domain/members/identity.js';
import type { MessengerDeps } from './messenger-deps.js';

/** `mine`, `mine overdue`, `mine today` for the person asking, now. */
export function myLeads(deps: MessengerDeps, actor: Identity, only?: MyLeadsFilter): Promise<Lead[]> {
  return listMyLeads(deps.store, actor, only ? { only, now: deps.clock.now(), teams: deps.teams } : undefined);
}
