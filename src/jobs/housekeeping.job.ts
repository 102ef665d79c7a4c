import type { Clock } from '../domain/shared/clock.js';
import type { Logger } from '../infra/logger.js';
import type { Job } from './scheduler.js';

/** Idempotency keys are promised for at least 24 hours; they are kept 48 so a late retry still replays. */
export const IDEMPOTENCY_KEEP_MS = 48 * 3_600_000;

/** Delivered notifications are kept a week, for looking into what a rep was sent. */
export const SENT_OUTBOX_KEEP_MS = 7 * 24 * 3_600_000;

/** A window's card count matters only while it runs; windows with a summary card are kept with their leads. */
export const CARD_COUNTER_KEEP_MS = 24 * 3_600_000;

export interface HousekeepingDeps {
  purgeIdempotencyKeys(before: Date): Promise<number>;
  purgeSentOutbox(before: Date): Promise<number>;
  purgeCardCounters(before: Date): Promise<number>;
  /** Sending paces whose slots are all an hour past (one per channel and person sent to). */
  purgeIdlePaces?(): Promise<number>;
  /** The embedded database's vacuum and statistics, after the purges (see Database.vacuum). */
  vacuum?(): Promise<boolean>;
  clock: Clock;
}

export function housekeepingJob(deps: HousekeepingDeps, log: Logger, schedule = '17 * * * *'): Job {
  return {
    name: 'housekeeping',
    schedule,
    run: async () => {
      const now = deps.clock.now().getTime();
      const keys = await deps.purgeIdempotencyKeys(new Date(now - IDEMPOTENCY_KEEP_MS));
      const sent = await deps.purgeSentOutbox(new Date(now - SENT_OUTBOX_KEEP_MS));
      const counters = await deps.purgeCardCounters(new Date(now - CARD_COUNTER_KEEP_MS));
      const paces = (await deps.purgeIdlePaces?.()) ?? 0;
      if (await deps.vacuum?.()) log.debug('embedded database vacuumed and analyzed');
      if (keys + sent + counters + paces > 0)
        log.info('housekeeping purged old rows', {
          idempotencyKeys: keys,
          sentNotifications: sent,
          cardCounters: counters,
          sendPaces: paces,
        });
    },
  };
}
