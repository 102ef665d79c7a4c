import type { ClaimPeek } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';

type PeekMany = (who: Identity[]) => Promise<readonly (ClaimPeek | null)[]>;

/**
 * Claims on one lead in this process wait for the claim already in flight before looking at the
 * lead, and those waking together look in one read: after a win, the rest are refused from that
 * read instead of each queueing a transaction on the lead's row lock. Correctness never rests on
 * it (the conditional write decides races across instances); it only keeps a burst of clicks
 * cheap. A claim waits at most once: if the one in flight was refused, the waiting ones all go on
 * to their own transactions.
 */
export class ClaimLatch {
  private readonly inFlight = new Map<number, Promise<unknown>>();
  private readonly peeks = new Map<number, { who: Identity[]; answers: Promise<readonly (ClaimPeek | null)[]> }>();

  current(leadId: number): Promise<unknown> | undefined {
    return this.inFlight.get(leadId);
  }

  /** Marks `work` as the claim in flight on `leadId` until it settles. Call with no await since `current`. */
  hold<T>(leadId: number, work: Promise<T>): Promise<T> {
    this.inFlight.set(leadId, work);
    const release = () => {
      if (this.inFlight.get(leadId) === work) this.inFlight.delete(leadId);
    };
    work.then(release, release);
    return work;
  }

  /** Peeks asked for one lead in the same turn of the event loop are read together by `read`. */
  peek(leadId: number, who: Identity, read: PeekMany): Promise<ClaimPeek | null> {
    let batch = this.peeks.get(leadId);
    if (!batch) {
      const together: Identity[] = [];
      const answers = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.peeks.delete(leadId);
        return read(together);
      });
      batch = { who: together, answers };
      this.peeks.set(leadId, batch);
    }
    const index = batch.who.push(who) - 1;
    return batch.answers.then((all) => all[index] ?? null);
  }
}
