import type { ClaimLatch, PeekMany } from '../../domain/claims/claim-latch.js';
import type { ClaimPeek } from '../../domain/claims/claim-store.js';
import type { Identity } from '../../domain/members/identity.js';

/** The longest the clicks behind a winner wait for its `afterWin` (replacing the clicked card). */
export const AFTER_WIN_WAIT_MS = 1_000;

/**
 * Claims on one lead in this process wait for the claim already in flight before looking at the
 * lead, and those waking together look in one read: after a win, the rest are refused from that
 * read instead of each queueing a transaction on the lead's row lock. Correctness never rests on
 * it (the conditional write decides races across instances); it only keeps a burst of clicks
 * cheap. A claim waits at most once: if the one in flight was refused, the waiting ones all go on
 * to their own transactions.
 */
export class ProcessClaimLatch implements ClaimLatch {
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

  /** Waits for `work` at most AFTER_WIN_WAIT_MS: a hung reply must not hold the clicks behind a winner. */
  async bounded(work: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, AFTER_WIN_WAIT_MS);
    });
    await Promise.race([work, late]);
    clearTimeout(timer);
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
