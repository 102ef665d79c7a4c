import type { Clock } from '../shared/clock.js';
import type { Lead, NewLead } from './lead.js';
import type { LeadStore, TeamDirectory } from './lead-store.js';
import { requireTeam } from './team-policy.js';

export interface CreateLeadDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
}

/** Stores a new lead in its team's pool and queues its card for the team channel. */
export async function createLead(deps: CreateLeadDeps, input: NewLead): Promise<Lead> {
  requireTeam(deps.teams, input.team);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const lead = await tx.insertLead(input, now);
    await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    return lead;
  });
}
