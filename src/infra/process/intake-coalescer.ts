import { type EachOutcome, intakeEach } from '../../domain/intake/intake-each.js';
import type { IntakeChannel, IntakeDeps, IntakeOutcome } from '../../domain/intake/intake-leads.js';
import type { PreparedLead } from '../../domain/intake/prepare-lead.js';

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
 * A request never fails its neighbours: a failing shared transaction is retried lead by lead
 * (`intakeEach`), so only the request whose lead caused the failure gets it.
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

  private async write(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.options.maxBatch ?? 500);
        const results = await intakeEach(
          this.deps,
          batch.map((b) => b.lead),
          this.channel,
        );
        for (const [i, b] of batch.entries()) {
          const result = results[i] as EachOutcome;
          if (result.ok) b.resolve(result.outcome);
          else b.reject(result.error);
        }
      }
    } finally {
      this.writers--;
    }
  }
}
