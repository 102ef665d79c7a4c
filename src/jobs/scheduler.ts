import cron, { type ScheduledTask } from 'node-cron';
import { errorFields, type Logger } from '../infra/logger.js';

export interface Job {
  name: string;
  /** node-cron expression; six fields allow seconds, e.g. every 15 s. */
  schedule: string;
  run(): Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * node-cron's own notices (a run skipped because the last one still runs, a missed tick) in our log
 * with the job's name, instead of on the console.
 */
function cronLogger(log: Logger, job: string) {
  const text = (message: string | Error) => (message instanceof Error ? message.message : message);
  return {
    info: (message: string) => log.debug('scheduler', { job, detail: message }),
    warn: (message: string) => log.warn('scheduler', { job, detail: message }),
    error: (message: string | Error, error?: Error) =>
      log.error('scheduler', { job, detail: text(message), ...(error ? errorFields(error) : {}) }),
    debug: (message: string | Error) => log.debug('scheduler', { job, detail: text(message) }),
  };
}

export function validateSchedule(expression: string): boolean {
  return cron.validate(expression);
}

/**
 * Runs each job on its schedule, never two runs of one job at once in this process. Jobs are safe
 * to run on several instances at the same time (their writes are conditional), so no leader election.
 */
export function startScheduler(jobs: Job[], log: Logger): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run();
        } catch (error) {
          log.error('job failed', { job: job.name, ...errorFields(error) });
        }
      },
      { name: job.name, noOverlap: true, logger: cronLogger(log, job.name) },
    ),
  );
  return {
    stop: async () => {
      for (const task of tasks) await task.destroy();
    },
  };
}
