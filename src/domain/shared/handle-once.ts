import type { LeadTx } from '../leads/lead-store.js';
import { DomainError } from './errors.js';

/**
 * Marks an inbound request handled inside the use case's transaction, just before its writes: the
 * mark commits with the change or not at all, so a redelivered request is refused and changes nothing.
 */
export async function handleOnce(tx: LeadTx, requestId: string | undefined, at: Date): Promise<void> {
  if (requestId && !(await tx.markRequestHandled(requestId, at))) throw new DomainError('request.repeated');
}
