import type { Identity } from '../members/identity.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { Lead } from './lead.js';
import type { LeadReads, TeamDirectory } from './lead-store.js';

/** overdue: the follow-up deadline has passed; today: it ends later today, in the lead's team's time zone. */
export type MyLeadsFilter = 'overdue' | 'today';

/** The caller's open leads across every team they belong to, soonest deadline first. */
export async function listMyLeads(
  store: LeadReads,
  who: Identity,
  filter?: { only: MyLeadsFilter; now: Date; teams: TeamDirectory },
): Promise<Lead[]> {
  const members = await store.membershipsOf(who);
  if (members.length === 0) return [];
  const leads = await store.ownedLeads(members.map((m) => m.id));
  return filter ? leads.filter((lead) => matches(lead, filter)) : leads;
}

function matches(lead: Lead, { only, now, teams }: { only: MyLeadsFilter; now: Date; teams: TeamDirectory }): boolean {
  const due = lead.followUpDueAt?.getTime();
  if (due === undefined) return false;
  if (only === 'overdue') return due <= now.getTime();
  const timeZone = teams.find(lead.teamId)?.timeZone ?? 'UTC';
  const tomorrow = startOfLocalDay(new Date(startOfLocalDay(now, timeZone).getTime() + 36 * 3_600_000), timeZone);
  return due > now.getTime() && due <= tomorrow.getTime();
}
