import { type DigestDeps, type DigestRunSummary, runDigests } from '../domain/reports/digest.js';
import type { Logger } from '../infra/logger.js';
import type { Job } from './scheduler.js';

/**
 * Every minute on every instance: the digest claim in the database lets exactly one of them send
 * each digest, and a digest missed while all were down goes out, late, on the first run after.
 */
export function digestJob(
  deps: DigestDeps,
  log: Logger,
  schedule = '* * * * *',
  /** Told each run's counts (the metrics). */
  record?: (summary: DigestRunSummary) => void,
): Job {
  return {
    name: 'digests',
    schedule,
    run: async () => {
      const summary = await runDigests(deps);
      record?.(summary);
      if (summary.sent > 0) log.info('digests queued', { ...summary });
    },
  };
}
