import { describe, expect, it } from 'vitest';
import { formatLeadRef, parseLeadId, parseLeadRef, pausedAt } from '../../src/domain/leads/lead.js';
import { followUpWindow } from '../../src/domain/leads/team-policy.js';
import { parseDuration } from '../../src/domain/shared/duration.js';
import { isSafeText } from '../../src/domain/shared/text.js';
import { startOfLocalDay } from '../../src/domain/shared/time-zone.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    [' 1h 30m ', 5_400_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '0s', '10', 'h', '2 hours', '1.5h', '-5m', '5w'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('startOfLocalDay', () => {
  it('is local midnight in the team time zone, not UTC midnight', () => {
    // 01:30 in Shanghai on 3 March is still 2 March in UTC.
    const at = new Date('2026-03-02T17:30:00Z');
    expect(startOfLocalDay(at, 'Asia/Shanghai').toISOString()).toBe('2026-03-02T16:00:00.000Z');
    expect(startOfLocalDay(at, 'UTC').toISOString()).toBe('2026-03-02T00:00:00.000Z');
    expect(startOfLocalDay(at, 'America/New_York').toISOString()).toBe('2026-03-02T05:00:00.000Z');
  });

  it('handles a day on which daylight saving time starts', () => {
    // Berlin switches to CEST at 02:00 on 29 March 2026; midnight is still CET (+01:00).
    const at = new Date('2026-03-29T20:00:00Z');
    expect(startOfLocalDay(at, 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });
});

describe('lead references and intake schema', () => {
  it.each([
    ['42', 42],
    ['#42', 42],
    ['L-42', 42],
    ['l42', 42],
  ])('parses %s', (text, id) => expect(parseLeadRef(text)).toBe(id));

  it.each(['', 'L-', 'forty', '4 2', 'X-42', 'L-0', '2147483648', '99999999999', '-1', '4e2', ' 42\u0000'])(
    'rejects %j',
    (text) => expect(parseLeadRef(text)).toBeNull(),
  );

  it('takes ids from buttons only as PostgreSQL integers', () => {
    expect(parseLeadId('2147483647')).toBe(2147483647);
    expect(parseLeadId('2147483648')).toBeNull();
    expect(parseLeadId('0')).toBeNull();
    expect(parseLeadId(' 1')).toBeNull();
    expect(parseLeadId('1.5')).toBeNull();
  });

  it('tells typed text from control characters and broken Unicode', () => {
    expect(isSafeText('Zhang Wei, 张伟 😀\n\tnotes\r\n')).toBe(true);
    for (const bad of ['a\u0000b', 'bell\u0007', 'esc\u001b[31m', 'del\u007f', 'lone \ud800', 'low \udc00 first'])
      expect(isSafeText(bad)).toBe(false);
  });

  it('formats as L-n', () => expect(formatLeadRef(7)).toBe('L-7'));
});

describe('followUpWindow', () => {
  const team = { followUpMs: 600_000, remindBeforeMs: 120_000 } as Parameters<typeof followUpWindow>[0];

  it('sets the deadline and the reminder before it', () => {
    const from = new Date('2026-03-02T09:00:00Z');
    const { dueAt, remindAt } = followUpWindow(team, from);
    expect(dueAt.toISOString()).toBe('2026-03-02T09:10:00.000Z');
    expect(remindAt.toISOString()).toBe('2026-03-02T09:08:00.000Z');
  });

  it('never schedules the reminder before the start', () => {
    const from = new Date('2026-03-02T09:00:00Z');
    const { remindAt } = followUpWindow({ ...team, remindBeforeMs: 3_600_000 }, from);
    expect(remindAt.toISOString()).toBe(from.toISOString());
  });
});

describe('pausedAt', () => {
  const now = new Date('2026-11-23T10:00:00Z');
  it('is the pause in force at a time, whether it has an end or not', () => {
    const since = new Date('2026-11-22T10:00:00Z');
    expect(pausedAt({ pause: null }, now)).toBeNull();
    expect(pausedAt({}, now)).toBeNull();
    expect(pausedAt({ pause: { since, until: null } }, now)).toEqual({ since, until: null });
    const until = new Date('2026-11-23T10:00:01Z');
    expect(pausedAt({ pause: { since, until } }, now)).toEqual({ since, until });
    expect(pausedAt({ pause: { since, until: now } }, now)).toBeNull(); // ends at `until`
    expect(pausedAt({ pause: { since: until, until: null } }, now)).toBeNull(); // not begun
  });
});
