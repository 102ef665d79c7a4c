import type { Clock } from '../domain/shared/clock.js';
import type { Logger } from '../infra/logger.js';
import type { Job } from './scheduler.js';

/** Idempotency keys are promised for at least 24 hours; they are kept 48 so a late retry still replays. */
export const IDEMPOTENCY_KEEP_MS = 48 * 3_600_000;

export function housekeepingJob(
  deps: { purgeIdempotencyKeys(before: Date): Promise<number>; clock: Clock },
  log: Logger,
  schedule = '17 * * * *',
): Job {
  return {
    name: 'housekeeping',
    schedule,
    run: async () => {
      const purged = await deps.purgeIdempotencyKeys(new Date(deps.clock.now().getTime() - IDEMPOTENCY_KEEP_MS));
      if (purged > 0) log.info('old idempotency keys purged', { purged });
    },
  };
}
