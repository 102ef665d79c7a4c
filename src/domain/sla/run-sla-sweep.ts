import { assignFromPools } from '../distribution/assign-from-pool.js';
import type { PoolTx } from '../distribution/pool-store.js';
import { isSystemAssigned } from '../distribution/pools.js';
import { poolUnansweredDuplicate } from '../duplicates/pool-unanswered-duplicate.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import type { Clock } from '../shared/clock.js';
import { reclaimBreachedLeads } from './reclaim-breached-lead.js';
import { escalateOverdue, remindDueOwners, warnConversionDue } from './remind-owner.js';
import type { SlaTx, SweepReads } from './sla-store.js';

export interface SlaSweepDeps {
  store: TxStore<LeadTx & SlaTx & PoolTx> & SweepReads;
  teams: TeamDirectory;
  clock: Clock;
  /** A lead (or, for a batch, null) that could not be handled: the next sweep tries again. */
  onItemError?: (leadId: number | null, step: SweepStep, error: unknown) => void;
}

type SweepStep = 'remind' | 'reclaim' | 'pool_duplicate' | 'assign';

export interface SlaSweepSummary {
  /** Owners reminded of a deadline ahead (follow-up or conversion). */
  reminded: number;
  /** Missed deadlines told to owner and managers (the grace has begun). */
  escalated: number;
  reclaimed: number;
  duplicatesPooled: number;
  /** Leads of system-assigned pools given an owner: missed after intake, back from a reclaim, or waiting for someone free. */
  assigned: number;
  failed: number;
}

/**
 * One pass of the SLA job: reminders, reclaims, then duplicates whose owner did not answer.
 * Reminders and reclaims go in batches of `batchSize`, each batch one transaction whose statement
 * locks its leads with SKIP LOCKED: several instances sweeping at once split the due leads between
 * them, none waits on another, and none handles a lead twice. The cost follows the due leads (their
 * indexes), not the table. A batch that fails is rolled back whole and reported; the next sweep
 * tries it again.
 */
export async function runSlaSweep(deps: SlaSweepDeps, batchSize = 500): Promise<SlaSweepSummary> {
  const now = deps.clock.now();
  const summary: SlaSweepSummary = {
    reminded: 0,
    escalated: 0,
    reclaimed: 0,
    duplicatesPooled: 0,
    assigned: 0,
    failed: 0,
  };

  const batches = async (
    step: 'remind' | 'reclaim',
    run: () => Promise<number>,
    counted: 'reminded' | 'escalated' | 'reclaimed' = step === 'remind' ? 'reminded' : 'reclaimed',
  ) => {
    for (;;) {
      let done: number;
      try {
        done = await run();
      } catch (error) {
        summary.failed++;
        deps.onItemError?.(null, step, error);
        return;
      }
      summary[counted] += done;
      if (done < batchSize) return;
    }
  };
  const inTx = (work: (tx: LeadTx & SlaTx) => Promise<number>) => () => deps.store.transaction(work);
  await batches(
    'remind',
    inTx((tx) => remindDueOwners(tx, now, batchSize)),
  );
  await batches(
    'remind',
    inTx((tx) => warnConversionDue(tx, now, batchSize)),
  );
  await batches(
    'remind',
    inTx((tx) => escalateOverdue(tx, now, batchSize)),
    'escalated',
  );
  await batches(
    'reclaim',
    inTx((tx) => reclaimBreachedLeads(tx, deps.teams, now, batchSize)),
  );
  await batches(
    'reclaim',
    inTx((tx) => reclaimBreachedLeads(tx, deps.teams, now, batchSize, 'conversion')),
  );

  await assignWaiting(deps, summary, batchSize);

  // Unanswered duplicates are few: each in its own transaction, one failing never blocking the rest.
  const failed = new Set<number>();
  for (;;) {
    const ids = (await deps.store.leadIdsDuplicateUnanswered(now, batchSize)).filter((id) => !failed.has(id));
    let progressed = false;
    for (const leadId of ids) {
      try {
        if (await deps.store.transaction((tx) => poolUnansweredDuplicate(tx, leadId, now))) {
          progressed = true;
          summary.duplicatesPooled++;
        }
      } catch (error) {
        failed.add(leadId);
        summary.failed++;
        deps.onItemError?.(leadId, 'pool_duplicate', error);
      }
    }
    if (ids.length < batchSize || !progressed) return summary;
  }
}

/**
 * Gives owners to the pooled leads of system-assigned pools (a reclaimed lead comes back here, and
 * its old owner is passed over for the cooldown). One pass over the waiting leads: those nobody may
 * take now wait for the next sweep.
 */
async function assignWaiting(deps: SlaSweepDeps, summary: SlaSweepSummary, batchSize: number): Promise<void> {
  const pools = deps.teams
    .all()
    .flatMap((team) =>
      (team.pools ?? []).filter(isSystemAssigned).map((pool) => ({ teamId: team.id, poolId: pool.id })),
    );
  if (pools.length === 0) return;
  try {
    const waiting = await deps.store.leadIdsWaitingInPools(pools, batchSize);
    for (const result of await assignFromPools(deps, waiting)) if (result.assigned) summary.assigned++;
  } catch (error) {
    summary.failed++;
    deps.onItemError?.(null, 'assign', error);
  }
}
