import { isAdmin } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { LeadReads } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';

/** A message the outbox gave up on after its retries, kept for a person to look at. */
export interface DeadLetter {
  id: string;
  messenger: string;
  kind: string;
  attempts: number;
  failedAt: Date;
  /** Why the last attempt failed, as the messenger said it (no personal data: ids and error codes). */
  error: string;
}

/** The outbox's given-up messages: how many, the latest, and a way to try them again. */
export interface DeadLetterBox {
  count(): Promise<number>;
  latest(limit: number): Promise<DeadLetter[]>;
  /** Puts them back in the queue with fresh attempts; returns how many went back. */
  retry(ids: readonly string[] | 'all', at: Date): Promise<number>;
}

export interface DeadLetterDeps {
  store: LeadReads;
  clock: Clock;
  deadLetters: DeadLetterBox;
}

async function requireAdmin(store: LeadReads, who: Identity): Promise<void> {
  if (!isAdmin(await actorOf(store, who))) throw new DomainError('access.admins_only');
}

/** `/lead admin outbox`: what could not be delivered, for admins. */
export async function listDeadLetters(
  deps: DeadLetterDeps,
  who: Identity,
  limit = 10,
): Promise<{ count: number; latest: DeadLetter[] }> {
  await requireAdmin(deps.store, who);
  const [count, latest] = await Promise.all([deps.deadLetters.count(), deps.deadLetters.latest(limit)]);
  return { count, latest };
}

/** `/lead admin outbox retry all|<id>…`: back to the queue, for admins. */
export async function retryDeadLetters(
  deps: DeadLetterDeps,
  who: Identity,
  ids: readonly string[] | 'all',
): Promise<number> {
  await requireAdmin(deps.store, who);
  return deps.deadLetters.retry(ids, deps.clock.now());
}
