/**
 * Claims on one lead in this process wait for the claim already in flight before looking at the
 * lead: after a win, the rest are refused from one read instead of each queueing a transaction on
 * the lead's row lock. Correctness never rests on it (the conditional write decides races across
 * instances); it only keeps a burst of clicks cheap. A claim waits at most once: if the one in
 * flight was refused, the waiting ones all go on to their own transactions.
 */
export class ClaimLatch {
  private readonly inFlight = new Map<number, Promise<unknown>>();

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
}
