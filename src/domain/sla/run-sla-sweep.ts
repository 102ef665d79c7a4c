import { poolUnansweredDuplicate } from '../duplicates/pool-unanswered-duplicate.js';
import type { LeadStore, TeamDirectory } from '../leads/lead-store.js';
import type { Clock } from '../shared/clock.js';
import { reclaimBreachedLead } from './reclaim-breached-lead.js';
import { remindOwner } from './remind-owner.js';

export interface SlaSweepDeps {
  store: LeadStore;
  teams: TeamDirectory;
  clock: Clock;
  onItemError?: (leadId: number, step: SweepStep, error: unknown) => void;
}

type SweepStep = 'remind' | 'reclaim' | 'pool_duplicate';

export interface SlaSweepSummary {
  reminded: number;
  reclaimed: number;
  duplicatesPooled: number;
  failed: number;
}

/**
 * One pass of the SLA job: reminders, reclaims, then duplicates whose owner did not answer. Each lead is handled in its own
 * transaction with conditional writes, so a failing lead never blocks the rest and two instances
 * sweeping at once cannot remind or reclaim twice.
 */
export async function runSlaSweep(deps: SlaSweepDeps, batchSize = 200): Promise<SlaSweepSummary> {
  const now = deps.clock.now();
  const summary: SlaSweepSummary = { reminded: 0, reclaimed: 0, duplicatesPooled: 0, failed: 0 };
  const counter = { remind: 'reminded', reclaim: 'reclaimed', pool_duplicate: 'duplicatesPooled' } as const;
  const failed = new Set<number>();

  const drain = async (
    step: SweepStep,
    find: () => Promise<number[]>,
    handle: (leadId: number) => Promise<boolean>,
  ) => {
    for (;;) {
      const ids = (await find()).filter((id) => !failed.has(id));
      let progressed = false;
      for (const leadId of ids) {
        try {
          if (await handle(leadId)) {
            progressed = true;
            summary[counter[step]]++;
          }
        } catch (error) {
          failed.add(leadId);
          summary.failed++;
          deps.onItemError?.(leadId, step, error);
        }
      }
      if (ids.length < batchSize || !progressed) return;
    }
  };

  await drain(
    'remind',
    () => deps.store.leadIdsDueForReminder(now, batchSize),
    (id) => deps.store.transaction((tx) => remindOwner(tx, id, now)),
  );
  await drain(
    'reclaim',
    () => deps.store.leadIdsBreached(now, batchSize),
    (id) => deps.store.transaction((tx) => reclaimBreachedLead(tx, deps.teams, id, now)),
  );
  await drain(
    'pool_duplicate',
    () => deps.store.leadIdsDuplicateUnanswered(now, batchSize),
    (id) => deps.store.transaction((tx) => poolUnansweredDuplicate(tx, id, now)),
  );
  return summary;
}
