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

/** The inverse of parseDuration, for messages and docs: 5400000 → "1h30m". */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms / 1000)) * 1000;
  let out = '';
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out || '0s';
}
