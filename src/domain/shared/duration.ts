const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
const PART = /(\d+)\s*(d|h|m|s)/g;
const WHOLE = /^\s*(\d+\s*[dhms]\s*)+$/;

/** Parses human durations such as "90s", "30m", "2h", "1d", "1h30m". Returns null when malformed or zero. */
export function parseDuration(text: string): number | null {
  if (!WHOLE.test(text)) return null;
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  return total > 0 ? total : null;
}
