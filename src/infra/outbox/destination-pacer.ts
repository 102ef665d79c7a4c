import { DeliveryDeferred } from '../../domain/notifications/notification-sink.js';
import { type Booking, MemoryPaceBook, type PaceBook } from '../pacing/pace-book.js';

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
  /** Where the pace is kept: shared by all instances in the database; in memory by default. */
  book?: PaceBook;
  /** Prefixes each destination in the book (e.g. `slack:`), so messengers never share a key. */
  keyPrefix?: string;
}

const POLL_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends to one destination (a channel, a person) a gap apart, so a messenger's per-channel limit
 * is kept by all instances together (the gaps are booked in the shared pace book); and keeps one
 * destination's trouble its own: while a rate limit or a call that did not answer holds it, sends
 * to it are deferred (their outbox slots freed) and every other destination goes on. A send that
 * would wait past `maxWaitMs` is deferred to its turn, so a destination with a long queue never
 * holds a lane's slots from the others. In each process, one call at a time goes to a destination.
 */
export class DestinationPacer {
  private readonly busy = new Set<string>();
  private readonly book: PaceBook;

  constructor(
    private readonly options: PacerOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.book = options.book ?? new MemoryPaceBook(now);
  }

  /** Runs `call` in `destination`'s turn; `paced` calls (new posts) keep the gap, edits only a hold. */
  async send<T>(destination: string, call: () => Promise<T>, paced = true): Promise<T> {
    const started = this.now();
    const key = `${this.options.keyPrefix ?? ''}${destination}`;
    // Booked first: a send told to wait comes back at its own turn, and frees its lane slot now.
    const booking = await this.book.book(
      key,
      paced ? { intervalMs: this.options.gapMs } : null,
      this.options.maxWaitMs,
    );
    this.deferUnlessBooked(destination, booking);
    if (booking.waitMs > 0) {
      await sleep(booking.waitMs);
      // A rate limit met meanwhile (by any instance) holds this send too.
      this.deferUnlessBooked(destination, await this.book.book(key, null, 0));
    }
    const waited = await this.waitForCallInFlight(destination, started);
    try {
      // The call it waited for may have left the destination held (it timed out, or was rate limited).
      if (waited) this.deferUnlessBooked(destination, await this.book.book(key, null, 0));
      return await this.holdOnTrouble(key, destination, call);
    } finally {
      this.busy.delete(destination);
    }
  }

  /** Runs `call`; a rate limit or no answer holds the destination (every instance) for a while. */
  private async holdOnTrouble<T>(key: string, destination: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const retryAfterMs = this.options.retryAfterOf(error);
      if (retryAfterMs !== null) {
        await this.book.hold(key, retryAfterMs);
        throw new DeliveryDeferred(retryAfterMs, `rate limited at ${destination}`);
      }
      if (this.options.isUnanswered(error)) await this.book.hold(key, this.options.holdAfterFailureMs);
      throw error;
    }
  }

  private deferUnlessBooked(destination: string, booking: Booking): void {
    if (booking.booked) return;
    throw new DeliveryDeferred(
      booking.waitMs,
      booking.reason === 'held' ? `${destination} is held back` : `${destination} is busy`,
    );
  }

  /**
   * One call at a time per destination in this process: a hung call makes the next ones wait, then
   * defer. Takes the destination; true when another call had it first.
   */
  private async waitForCallInFlight(destination: string, started: number): Promise<boolean> {
    for (let waited = false; ; waited = true) {
      if (!this.busy.has(destination)) {
        // Taken in the same tick as the check: no other send can slip in between.
        this.busy.add(destination);
        return waited;
      }
      if (this.now() - started >= this.options.maxWaitMs)
        throw new DeliveryDeferred(Math.max(this.options.gapMs, 500), `${destination} is busy`);
      await sleep(POLL_MS);
    }
  }
}
