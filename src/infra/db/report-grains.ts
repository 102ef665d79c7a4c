/**
 * How a report's period splits over the roll-ups' grains. Roll-ups are kept per UTC day and month;
 * a period is in a team's own zone, so its ends rarely fall on a UTC midnight. The whole days and
 * months inside it are read from the roll-ups, the pieces at its ends from the rows themselves.
 */

/** A half-open range of instants [from, to). */
export type Range = readonly [Date, Date];

/** A half-open range of UTC dates, 'YYYY-MM-DD'. */
export interface DateSpan {
  from: string;
  to: string;
}

export interface Grains {
  /** Every whole UTC day inside the period; null when there is none. */
  days: DateSpan | null;
  /** The whole UTC months inside the period. */
  months: DateSpan | null;
  /** The whole days outside those months: at most two runs. */
  looseDays: DateSpan[];
  /** The parts of the period outside its whole days: at most two, none shorter than a millisecond. */
  edges: Range[];
  /** The parts of the period outside its whole months, for what is rolled up by month only. */
  outsideMonths: Range[];
}

const DAY = 86_400_000;

const dateOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const utcMidnight = (t: number) => Math.floor(t / DAY) * DAY;
const monthStart = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (t: number) => {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

function ranges(pairs: [number, number][]): Range[] {
  return pairs.filter(([a, b]) => a < b).map(([a, b]) => [new Date(a), new Date(b)] as const);
}

export function grainsOf(from: Date, to: Date): Grains {
  const a = from.getTime();
  const b = to.getTime();
  const d0 = utcMidnight(a) === a ? a : utcMidnight(a) + DAY;
  const d1 = utcMidnight(b);
  if (d0 >= d1)
    return { days: null, months: null, looseDays: [], edges: ranges([[a, b]]), outsideMonths: ranges([[a, b]]) };
  const edges = ranges([
    [a, d0],
    [d1, b],
  ]);
  const m0 = monthStart(d0) === d0 ? d0 : nextMonth(d0);
  const m1 = monthStart(d1);
  const days = { from: dateOf(d0), to: dateOf(d1) };
  if (m0 >= m1) return { days, months: null, looseDays: [days], edges, outsideMonths: ranges([[a, b]]) };
  const looseDays = (
    [
      [d0, m0],
      [m1, d1],
    ] as [number, number][]
  )
    .filter(([x, y]) => x < y)
    .map(([x, y]) => ({ from: dateOf(x), to: dateOf(y) }));
  return {
    days,
    months: { from: dateOf(m0), to: dateOf(m1) },
    looseDays,
    edges,
    outsideMonths: ranges([
      [a, m0],
      [m1, b],
    ]),
  };
}

/** How many values fell in each bin, bins ascending. */
export type Bins = ReadonlyArray<{ bin: number; n: number }>;

/** Adds bin counts, keeping bins ascending and dropping empty ones. */
export function addBins(...all: Bins[]): { bin: number; n: number }[] {
  const sum = new Map<number, number>();
  for (const bins of all) for (const { bin, n } of bins) sum.set(bin, (sum.get(bin) ?? 0) + n);
  return [...sum]
    .filter(([, n]) => n !== 0)
    .sort(([x], [y]) => x - y)
    .map(([bin, n]) => ({ bin, n }));
}

/** The value of a rank (0-based) is the `offset`-th smallest of its bin's values. */
export interface RankAt {
  bin: number;
  offset: number;
}

export function rankAt(bins: Bins, rank: number): RankAt {
  let before = 0;
  for (const { bin, n } of bins) {
    if (rank < before + n) return { bin, offset: rank - before };
    before += n;
  }
  throw new Error(`rank ${rank} is past the ${before} values binned`);
}

/**
 * PostgreSQL's `percentile_cont`: the two ranks around p·(n−1) and the share between them. With the
 * same arithmetic, the value it gives from the two ranks' values is the one the database gives.
 */
export function percentileRanks(n: number, p: number): { low: number; high: number; share: number } | null {
  if (n <= 0) return null;
  const position = p * (n - 1);
  const low = Math.floor(position);
  return { low, high: Math.ceil(position), share: position - low };
}

export function interpolate(low: number, high: number, share: number): number {
  return share === 0 ? low : low + share * (high - low);
}
