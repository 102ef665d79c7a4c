import { DeliveryDeferred } from '../../domain/notifications/notification-sink.js';

export interface PacerOptions {
  /** The least time between two sends to one destination (Slack: about one post per second per channel). */
  gapMs: number;
  /** How long a send waits for its destination's turn before it is deferred (its slot freed for others). */
  maxWaitMs: number;
  /** How long a destination is held back after a call to it timed out or could not connect. */
  holdAfterFailureMs: number;
  /** The wait a rate-limit answer asks for (ms), or null when the error is not one. */
  retryAfterOf(error: unknown): number | null;
  /** True for an error that says the destination did not answer (a timeout, a dropped connection). */
  isUnanswered(error: unknown): boolean;
}

interface DestinationState {
  busy: boolean;
  nextAt: number;
  heldUntil: number;
}

const POLL_MS = 25;
const MAX_IDLE = 2_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends to one destination (a channel, a person) one at a time, a gap apart, so a messenger's
 * per-channel limit is kept; and keeps one destination's trouble its own: while a call to it hangs
 * or a rate limit holds it, other sends to it are deferred (their outbox slots freed), and sends to
 * every other destination go on. Times are the machine's own: this is about the network, not the
 * business clock.
 */
export class DestinationPacer {
  private readonly destinations = new Map<string, DestinationState>();

  constructor(
    private readonly options: PacerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `call` in `destination`'s turn; `paced` calls (new posts) keep the gap after them, edits do not. */
  async send<T>(destination: string, call: () => Promise<T>, paced = true): Promise<T> {
    const state = this.stateOf(destination);
    await this.waitForTurn(destination, state, paced);
    try {
      return await call();
    } catch (error) {
      const retryAfterMs = this.options.retryAfterOf(error);
      if (retryAfterMs !== null) {
        state.heldUntil = this.now() + retryAfterMs;
        throw new DeliveryDeferred(retryAfterMs, `rate limited at ${destination}`);
      }
      if (this.options.isUnanswered(error)) state.heldUntil = this.now() + this.options.holdAfterFailureMs;
      throw error;
    } finally {
      state.busy = false;
      if (paced) state.nextAt = this.now() + this.options.gapMs;
    }
  }

  /** An edit waits only for the call in flight; a new post also for the gap after the last post. */
  private async waitForTurn(destination: string, state: DestinationState, paced: boolean): Promise<void> {
    const started = this.now();
    for (;;) {
      const now = this.now();
      if (state.heldUntil > now) throw new DeliveryDeferred(state.heldUntil - now, `${destination} is held back`);
      if (!state.busy && (!paced || state.nextAt <= now)) {
        // Taken in the same tick as the check: no other send can slip in between.
        state.busy = true;
        return;
      }
      if (now - started >= this.options.maxWaitMs)
        throw new DeliveryDeferred(Math.max(state.nextAt - now, this.options.gapMs, 500), `${destination} is busy`);
      await sleep(Math.min(POLL_MS, Math.max(1, state.nextAt - now)));
    }
  }

  private stateOf(destination: string): DestinationState {
    let state = this.destinations.get(destination);
    if (!state) {
      if (this.destinations.size >= MAX_IDLE) this.forgetIdle();
      state = { busy: false, nextAt: 0, heldUntil: 0 };
      this.destinations.set(destination, state);
    }
    return state;
  }

  /** Destinations with nothing pending carry no state worth keeping. */
  private forgetIdle(): void {
    const now = this.now();
    for (const [key, s] of this.destinations)
      if (!s.busy && s.nextAt <= now && s.heldUntil <= now) this.destinations.delete(key);
  }
}
