import type { Logger } from '../infra/logger.js';
import type { Job } from './scheduler.js';

/**
 * Folds the report roll-ups' appended rows into one per key. Reports are exact without it (they sum
 * every row); it keeps the rows they sum few. Safe on every instance at once.
 */
export function reportFoldJob(fold: () => Promise<number>, log: Logger, schedule = '*/30 * * * * *'): Job {
  return {
    name: 'report-fold',
    schedule,
    run: async () => {
      const rows = await fold();
      if (rows > 0) log.debug('report roll-ups folded', { rows });
    },
  };
}
