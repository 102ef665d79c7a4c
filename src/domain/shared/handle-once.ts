import type { LeadTx } from '../leads/lead-store.js';
import { DomainError } from './errors.js';

/**
 * Marks an inbound request handled, first thing in the use case's transaction: the mark commits with
 * the change or not at all (a refusal rolls it back), so a redelivered request changes nothing.
 */
export async function handleOnce(tx: LeadTx, requestId: string | undefined, at: Date): Promise<void> {
  if (requestId && !(await tx.markRequestHandled(requestId, at))) throw new DomainError('request.repeated');
}
