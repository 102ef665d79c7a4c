import { type IntakeChannel, type IntakeDeps, type IntakeOutcome, intakeLeads } from './intake-leads.js';
import type { PreparedLead } from './prepare-lead.js';

interface Pending {
  lead: PreparedLead;
  resolve: (o: IntakeOutcome) => void;
  reject: (e: unknown) => void;
}

/**
 * Single-lead intakes arriving together share transactions. Up to `maxWriters` batches are written
 * at once (default 1: on two cores, four writers measured slower than one); newcomers beyond that
 * queue and go into the next free writer's batch. An idle system
 * writes each lead at once (no timer, no added wait); a busy one pays one transaction per batch
 * instead of one per lead. De-duplication stays exact: leads in one batch are matched against each
 * other, and batches in flight at once serialize on the same advisory locks as any two intakes.
 * A request never fails its neighbours: when a shared transaction fails, each of its leads is
 * written again in a transaction of its own, so only the lead that caused the failure gets it.
 */
export class IntakeCoalescer {
  private readonly queue: Pending[] = [];
  private writers = 0;

  constructor(
    private readonly deps: IntakeDeps,
    private readonly channel: IntakeChannel,
    private readonly options: { maxBatch?: number; maxWriters?: number } = {},
  ) {}

  submit(lead: PreparedLead): Promise<IntakeOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ lead, resolve, reject });
      if (this.writers < (this.options.maxWriters ?? 1)) void this.write();
    });
  }

  private async store(leads: PreparedLead[]): Promise<IntakeOutcome[]> {
    const result = await intakeLeads(this.deps, leads, this.channel);
    if (result.kind !== 'done') throw new Error(`unexpected intake result ${result.kind}`);
    return result.outcomes;
  }

  /** One transaction per lead, one after another, so each request gets its own answer. */
  private async isolate(batch: Pending[]): Promise<void> {
    for (const pending of batch) {
      try {
        pending.resolve((await this.store([pending.lead]))[0] as IntakeOutcome);
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  private async write(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        try {
          const outcomes = await this.store(batch.map((b) => b.lead));
          for (const [i, b] of batch.entries()) b.resolve(outcomes[i] as IntakeOutcome);
        } catch (error) {
          if (batch.length === 1) (batch[0] as Pending).reject(error);
          else await this.isolate(batch);
        }
      }
    } finally {
      this.writers--;
    }
  }
}
