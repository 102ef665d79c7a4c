import { runSlaSweep, type SlaSweepDeps, type SlaSweepSummary } from '../domain/sla/run-sla-sweep.js';
import { errorFields, type Logger } from '../infra/logger.js';
import type { Job } from './scheduler.js';

export function slaSweepJob(
  schedule: string,
  deps: Omit<SlaSweepDeps, 'onItemError'>,
  log: Logger,
  /** Told each run's counts (the metrics). */
  record?: (summary: SlaSweepSummary) => void,
): Job {
  return {
    name: 'sla-sweep',
    schedule,
    run: async () => {
      const summary = await runSlaSweep({
        ...deps,
        onItemError: (leadId, step, error) =>
          log.error('sla sweep item failed', { leadId, step, ...errorFields(error) }),
      });
      record?.(summary);
      if (Object.values(summary).some((count) => count > 0)) log.info('sla sweep done', { ...summary });
    },
  };
}
