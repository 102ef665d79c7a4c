import type { Member } from '../leads/lead.js';
import type { LeadTx } from '../leads/lead-store.js';
import type { DirectMessageTopic, NotificationParams } from './notification.js';

/** The managers of each team, looked up once per team however many of its leads a batch touches. */
export async function managersByTeam(tx: LeadTx, teamIds: Iterable<string>): Promise<Map<string, Member[]>> {
  const managers = new Map<string, Member[]>();
  for (const teamId of new Set(teamIds)) managers.set(teamId, await tx.managersOf(teamId));
  return managers;
}

/** One DM about the lead to each of these managers, in the same transaction as the change. */
export async function tellManagers(
  tx: LeadTx,
  managers: readonly Member[],
  message: { leadId: number; topic: DirectMessageTopic; params: NotificationParams },
  now: Date,
): Promise<void> {
  for (const manager of managers) await tx.enqueue({ kind: 'member.dm', memberId: manager.id, ...message }, now);
}
