import type { Identity } from '../members/identity.js';
import type { Lead } from './lead.js';
import type { LeadStore } from './lead-store.js';

/** The caller's open leads across every team they belong to, soonest deadline first. */
export async function listMyLeads(store: LeadStore, who: Identity): Promise<Lead[]> {
  const members = await store.membersByIdentity(who);
  if (members.length === 0) return [];
  return store.ownedLeads(members.map((m) => m.id));
}
