import { describe, expect, it } from 'vitest';
import { dayLabels, parsePeriod, trendPeriod } from '../../src/domain/reports/period.js';

const iso = (d: Date) => d.toISOString();
function read(text: string, now: string, timeZone: string) {
  const result = parsePeriod(text, { now: new Date(now), timeZone });
  if (!result.ok) throw new Error(`${text}: ${result.problem}`);
  const { from, to, previous, name } = result.period;
  return { name, from: iso(from), to: iso(to), prevFrom: iso(previous.from), prevTo: iso(previous.to) };
}

describe('parsePeriod', () => {
  // Sunday 29 Nov 2026, 01:30 in Shanghai is still Saturday 28 Nov in UTC.
  const now = '2026-11-28T17:30:00Z';
  const sh = 'Asia/Shanghai';

  it.each<[string, string, string, string, string]>([
    ['today', '2026-11-28T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026-11-27T16:00:00.000Z', 'today'],
    ['今天', '2026-11-28T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026-11-27T16:00:00.000Z', 'today'],
    ['yesterday', '2026-11-27T16:00:00.000Z', '2026-11-28T16:00:00.000Z', '2026-11-26T16:00:00.000Z', 'yesterday'],
    // The week of a Sunday starts on the Monday before it.
    ['this week', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026-11-15T16:00:00.000Z', 'this_week'],
    ['本周', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026-11-15T16:00:00.000Z', 'this_week'],
    ['', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026-11-15T16:00:00.000Z', 'this_week'],
    ['last week', '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z', '2026-11-08T16:00:00.000Z', 'last_week'],
    ['上周', '2026-11-15T16:00:00.000Z', '2026-11-22T16:00:00.000Z', '2026-11-08T16:00:00.000Z', 'last_week'],
    // November has 30 days: the previous period is the 30 days before it.
    ['this month', '2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', '2026-10-01T16:00:00.000Z', 'this_month'],
    ['上月', '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '2026-08-30T16:00:00.000Z', 'last_month'],
    [
      '2026-11-01..2026-11-15',
      '2026-10-31T16:00:00.000Z',
      '2026-11-15T16:00:00.000Z',
      '2026-10-16T16:00:00.000Z',
      'range',
    ],
    [
      '2026-11-01 至 2026-11-01',
      '2026-10-31T16:00:00.000Z',
      '2026-11-01T16:00:00.000Z',
      '2026-10-30T16:00:00.000Z',
      'range',
    ],
  ])('%j in Shanghai', (text, from, to, prevFrom, name) => {
    const p = read(text, now, sh);
    expect(p).toEqual({ name, from, to, prevFrom, prevTo: from });
  });

  it('counts local days across a DST change: a week with a 25-hour day, and the week before it', () => {
    // New York falls back on Sunday 1 Nov 2026; the week of Mon 26 Oct runs to Mon 2 Nov.
    const p = read('last week', '2026-11-04T15:00:00Z', 'America/New_York');
    expect(p.from).toBe('2026-10-26T04:00:00.000Z'); // midnight EDT
    expect(p.to).toBe('2026-11-02T05:00:00.000Z'); // midnight EST
    expect(new Date(p.to).getTime() - new Date(p.from).getTime()).toBe(7 * 86_400_000 + 3_600_000);
    expect(p.prevFrom).toBe('2026-10-19T04:00:00.000Z');
  });

  it('starts a day at local midnight, not UTC midnight', () => {
    expect(read('today', '2026-03-02T23:30:00Z', 'Asia/Kolkata').from).toBe('2026-03-02T18:30:00.000Z');
  });

  it.each<[string, string]>([
    ['fortnight', 'unreadable'],
    ['2026-02-30..2026-03-01', 'unreadable'],
    ['2026-11-15..2026-11-01', 'reversed'],
    ['2025-01-01..2026-12-31', 'too_long'],
    ['2026-11-01..', 'unreadable'],
    ["'; DROP TABLE lead; --", 'unreadable'],
  ])('refuses %j: %s', (text, problem) => {
    expect(parsePeriod(text, { now: new Date(now), timeZone: sh })).toEqual({ ok: false, problem });
  });
});

describe('trendPeriod', () => {
  const monthOf = (at: string, zone: string) => {
    const read = parsePeriod('this month', { now: new Date(at), timeZone: zone });
    if (!read.ok) throw new Error(read.problem);
    return trendPeriod(read.period, new Date(at), zone);
  };

  it('ends today while the period runs, across New York’s DST change', () => {
    const trend = monthOf('2026-11-10T15:00:00Z', 'America/New_York');
    expect(trend.days).toEqual({ first: '2026-10-28', last: '2026-11-10' });
    expect(trend.from.toISOString()).toBe('2026-10-28T04:00:00.000Z'); // midnight EDT
    expect(trend.to.toISOString()).toBe('2026-11-11T05:00:00.000Z'); // midnight EST
    expect(dayLabels(trend.days)).toHaveLength(14);
  });

  it('ends on the last day of a finished period, in the team’s zone', () => {
    const read = parsePeriod('last month', { now: new Date('2026-11-10T15:00:00Z'), timeZone: 'Asia/Shanghai' });
    if (!read.ok) throw new Error(read.problem);
    const trend = trendPeriod(read.period, new Date('2026-11-10T15:00:00Z'), 'Asia/Shanghai');
    expect(trend.days).toEqual({ first: '2026-10-18', last: '2026-10-31' });
    expect(trend.to.toISOString()).toBe('2026-10-31T16:00:00.000Z');
  });
});
