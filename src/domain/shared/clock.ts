/** Time is an input: rules take `now` from a Clock so tests can pin and move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date | string) {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(to: Date | string): void {
    this.current = new Date(to);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * A clock that runs `factor` times faster than the wall clock from `start` on: a demo shows a
 * working day's reminders, reclaims and digest in minutes. `wallNow` is the real clock (an input,
 * so tests move it by hand).
 */
export class ScaledClock implements Clock {
  private startedAt: number | null;

  constructor(
    private readonly start: Date,
    private readonly factor: number,
    private readonly wallNow: () => number = Date.now,
    /** Held at `start` until `run()`: a demo's day begins when the app is up, however long that took. */
    options: { held?: boolean } = {},
  ) {
    if (!(factor >= 1 && factor <= 10_000)) throw new RangeError(`a clock speed of ${factor}× is not 1 to 10,000`);
    this.startedAt = options.held ? null : wallNow();
  }

  /** Lets a held clock run from now on (from `start`); a running one goes on as it was. */
  run(): void {
    this.startedAt ??= this.wallNow();
  }

  now(): Date {
    const ran = this.startedAt === null ? 0 : this.wallNow() - this.startedAt;
    return new Date(this.start.getTime() + ran * this.factor);
  }
}
