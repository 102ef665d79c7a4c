import { describe, expect, it } from 'vitest';
import { addBins, grainsOf, interpolate, percentileRanks, rankAt } from '../../src/infra/db/report-grains.js';

const t = (iso: string) => new Date(iso);

describe('a period over the roll-ups’ UTC days and months', () => {
  it('reads whole months and days from the roll-ups and the half-hour ends from the rows', () => {
    // A quarter in Asia/Kolkata (UTC+5:30): 1 Sep to 1 Dec, local midnights.
    const g = grainsOf(t('2026-08-31T18:30:00Z'), t('2026-11-30T18:30:00Z'));
    expect(g.days).toEqual({ from: '2026-09-01', to: '2026-11-30' });
    expect(g.months).toEqual({ from: '2026-09-01', to: '2026-11-01' });
    expect(g.looseDays).toEqual([{ from: '2026-11-01', to: '2026-11-30' }]);
    expect(g.edges.map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual([
      ['2026-08-31T18:30:00.000Z', '2026-09-01T00:00:00.000Z'],
      ['2026-11-30T00:00:00.000Z', '2026-11-30T18:30:00.000Z'],
    ]);
    expect(g.outsideMonths.map(([a, b]) => [a.toISOString(), b.toISOString()])).toEqual([
      ['2026-08-31T18:30:00.000Z', '2026-09-01T00:00:00.000Z'],
      ['2026-11-01T00:00:00.000Z', '2026-11-30T18:30:00.000Z'],
    ]);
  });

  it('has no edges on UTC midnights, and reads a period within one day from the rows alone', () => {
    const whole = grainsOf(t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z'));
    expect(whole.edges).toEqual([]);
    expect(whole.looseDays).toEqual([]);
    expect(whole.months).toEqual({ from: '2026-01-01', to: '2027-01-01' });
    const short = grainsOf(t('2026-03-04T05:00:00Z'), t('2026-03-05T04:59:59.999Z'));
    expect(short.days).toBeNull();
    expect(short.edges).toHaveLength(1);
    expect(short.outsideMonths).toEqual(short.edges);
  });

  it('leaves no gap and no overlap: days, months, loose days and edges tile the period', () => {
    const DAY = 86_400_000;
    for (let i = 0; i < 500; i++) {
      const from = Date.UTC(2025, 0, 1) + Math.floor(Math.random() * 400 * DAY);
      const to = from + 1 + Math.floor(Math.random() * 400 * DAY);
      const g = grainsOf(new Date(from), new Date(to));
      const ms = (s: { from: string; to: string }) =>
        Date.parse(`${s.to}T00:00:00Z`) - Date.parse(`${s.from}T00:00:00Z`);
      const edges = g.edges.reduce((s, [a, b]) => s + (b.getTime() - a.getTime()), 0);
      expect((g.days ? ms(g.days) : 0) + edges).toBe(to - from);
      const looseDays = g.looseDays.reduce((s, d) => s + ms(d), 0);
      expect((g.months ? ms(g.months) : 0) + looseDays).toBe(g.days ? ms(g.days) : 0);
      const outside = g.outsideMonths.reduce((s, [a, b]) => s + (b.getTime() - a.getTime()), 0);
      expect((g.months ? ms(g.months) : 0) + outside).toBe(to - from);
    }
  });
});

describe('a percentile from bins', () => {
  it('finds a rank’s bin and its place in it', () => {
    const bins = addBins(
      [{ bin: 3, n: 2 }],
      [
        { bin: 1, n: 1 },
        { bin: 3, n: 1 },
        { bin: 7, n: 0 },
      ],
    );
    expect(bins).toEqual([
      { bin: 1, n: 1 },
      { bin: 3, n: 3 },
    ]);
    expect(rankAt(bins, 0)).toEqual({ bin: 1, offset: 0 });
    expect(rankAt(bins, 3)).toEqual({ bin: 3, offset: 2 });
    expect(() => rankAt(bins, 4)).toThrow(/past the 4 values/);
  });

  it('interpolates as percentile_cont does', () => {
    expect(percentileRanks(0, 0.5)).toBeNull();
    expect(percentileRanks(5, 0.5)).toEqual({ low: 2, high: 2, share: 0 });
    const p90 = percentileRanks(4, 0.9);
    expect(p90?.low).toBe(2);
    expect(p90?.high).toBe(3);
    // 0.9 × 3 = 2.7000000000000002 in doubles: the share is what the database computes too.
    expect(interpolate(1000, 2001, p90?.share ?? 0)).toBe(1000 + (0.9 * 3 - 2) * 1001);
  });
});
