import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/infra/logger.js';
import { reportFoldJob } from '../../src/jobs/report-fold.job.js';
import { startScheduler, validateSchedule } from '../../src/jobs/scheduler.js';

describe('scheduler', () => {
  it('validates cron expressions, including six-field ones with seconds', () => {
    expect(validateSchedule('*/15 * * * * *')).toBe(true);
    expect(validateSchedule('0 9 * * 1-5')).toBe(true);
    expect(validateSchedule('every minute')).toBe(false);
  });

  it('runs a job on its schedule, never overlapping itself, and logs a failing run without stopping', async () => {
    const lines: string[] = [];
    let runs = 0;
    let active = 0;
    let maxActive = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'slow',
          schedule: '* * * * * *',
          run: async () => {
            runs++;
            active++;
            maxActive = Math.max(maxActive, active);
            await new Promise((r) => setTimeout(r, 1500)); // longer than the 1 s period
            active--;
            if (runs === 1) throw new Error('first run fails');
          },
        },
      ],
      createLogger('warn', (l) => lines.push(l)),
    );
    const consoleWarn = vi.spyOn(console, 'warn');
    await new Promise((r) => setTimeout(r, 4200));
    await scheduler.stop();
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(maxActive).toBe(1);
    expect(lines.some((l) => l.includes('job failed') && l.includes('slow'))).toBe(true);
    // node-cron's notice of a skipped tick is in our log with the job's name, not on the console.
    expect(lines.some((l) => l.includes('"job":"slow"') && l.includes('task still running'))).toBe(true);
    expect(consoleWarn).not.toHaveBeenCalled();
    consoleWarn.mockRestore();
  });

  it('folds the report roll-ups every 30 s, saying how many rows when there were any', async () => {
    const lines: string[] = [];
    const folds = [120, 0];
    const job = reportFoldJob(
      async () => folds.shift() ?? 0,
      createLogger('debug', (l) => lines.push(l)),
    );
    expect(validateSchedule(job.schedule)).toBe(true);
    expect(job.schedule).toBe('*/30 * * * * *');
    await job.run();
    await job.run();
    expect(folds).toEqual([]);
    expect(lines.filter((l) => l.includes('report roll-ups folded'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('"rows":120'))).toBe(true);
  });
});
