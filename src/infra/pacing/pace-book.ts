/**
 * The pace of sends to one destination, kept as a book of slots (the generic cell rate
 * algorithm): `intervalMs` apart on average, with up to `burstMs` of them allowed early. A
 * Lark chat's "5 a second" is an interval of 220 ms (a tenth of a second's margin over the
 * second) with a burst of 880 ms: five at once, then one each 220 ms. Slack's "about one post a
 * second per channel" is an interval of 1 s and no burst.
 */
export interface PaceRule {
  intervalMs: number;
  burstMs?: number;
}

export type Booking =
  /** A slot is booked: send after `waitMs`. */
  | { booked: true; waitMs: number }
  /** No slot within the wait allowed: come back after `waitMs` (a later slot for each one told so). */
  | { booked: false; waitMs: number; reason: 'held' | 'paced' };

/**
 * Where the slots are kept. In PostgreSQL (`SqlPaceBook`) every instance books from the same rows,
 * so three instances together post into a channel at the pace of one.
 */
export interface PaceBook {
  /**
   * Books `key`'s next slot if it comes within `maxWaitMs`; else books nothing (a slot booked and
   * not used would slow everyone behind it). `null` as the rule asks only whether `key` is held.
   */
  book(key: string, rule: PaceRule | null, maxWaitMs: number): Promise<Booking>;
  /** Nothing goes to `key` for `ms` (a platform's Retry-After, a destination that did not answer). */
  hold(key: string, ms: number): Promise<void>;
}

interface Slots {
  tat: number;
  heldUntil: number;
  backlogUntil: number;
}

const MAX_KEYS = 1000;
/**
 * The slots handed to sends told to wait run at most this far past the next free one. A send told
 * to wait twice takes a second slot while its first goes unused, so without a bound the queue's
 * estimate would drift ever later than the queue itself.
 */
export const MAX_BACKLOG_MS = 30_000;

/** The book in one process's memory: for a single instance without a shared database, and for tests. */
export class MemoryPaceBook implements PaceBook {
  private readonly keys = new Map<string, Slots>();

  constructor(private readonly now: () => number = Date.now) {}

  async book(key: string, rule: PaceRule | null, maxWaitMs: number): Promise<Booking> {
    const now = this.now();
    const slots = this.slotsOf(key, now);
    if (slots.heldUntil > now) return this.later(slots, rule, now, 'held');
    if (!rule) return { booked: true, waitMs: 0 };
    const burst = rule.burstMs ?? 0;
    if (slots.tat - burst - now > maxWaitMs) return this.later(slots, rule, now, 'paced');
    slots.tat = Math.max(slots.tat, now) + rule.intervalMs;
    return { booked: true, waitMs: Math.max(0, slots.tat - rule.intervalMs - burst - now) };
  }

  async hold(key: string, ms: number): Promise<void> {
    const now = this.now();
    const slots = this.slotsOf(key, now);
    slots.heldUntil = Math.max(slots.heldUntil, now + ms);
  }

  /** Each send told to wait comes back a slot after the one before it: they do not all return at once. */
  private later(slots: Slots, rule: PaceRule | null, now: number, reason: 'held' | 'paced'): Booking {
    const interval = rule?.intervalMs ?? 0;
    const next = rule ? slots.tat - (rule.burstMs ?? 0) : 0;
    const queued = Math.min(slots.backlogUntil, Math.max(next, now) + MAX_BACKLOG_MS);
    const from = Math.max(queued, slots.heldUntil, next, now);
    slots.backlogUntil = from + interval;
    return { booked: false, waitMs: Math.max(1, from - now), reason };
  }

  private slotsOf(key: string, now: number): Slots {
    let slots = this.keys.get(key);
    if (!slots) {
      if (this.keys.size >= MAX_KEYS) this.forgetIdle(now);
      slots = { tat: now, heldUntil: 0, backlogUntil: 0 };
      this.keys.set(key, slots);
    }
    return slots;
  }

  /** Keys whose slots are all past carry nothing worth keeping: memory stays flat over many chats. */
  private forgetIdle(now: number): void {
    for (const [key, s] of this.keys)
      if (s.tat <= now && s.heldUntil <= now && s.backlogUntil <= now) this.keys.delete(key);
  }

  get size(): number {
    return this.keys.size;
  }
}
