import { describe, expect, it } from 'vitest';
import { instantOf, localTimeOf } from '../../src/domain/shared/time-zone.js';
import { parseWhen } from '../../src/domain/shared/when.js';
import { nastyString, Rng } from '../fuzz/generators.js';

// Wednesday 2 December 2026, 14:20 in Shanghai (06:20 UTC).
const now = new Date('2026-12-02T06:20:00Z');
const shanghai = { now, timeZone: 'Asia/Shanghai' };
const local = (text: string, context = shanghai) => {
  const parsed = parseWhen(text, context);
  if (!parsed.ok) return parsed.problem;
  const t = localTimeOf(parsed.at, context.timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`;
};

describe('parseWhen: how reps write a next contact time', () => {
  it.each([
    ['tomorrow 10am', '2026-12-03 10:00'],
    ['Tomorrow 3:30 PM', '2026-12-03 15:30'],
    ['tomorrow', '2026-12-03 09:00'],
    ['today 17:00', '2026-12-02 17:00'],
    ['day after tomorrow 9:15', '2026-12-04 09:15'],
    ['明天上午10点', '2026-12-03 10:00'],
    ['明天 下午3点半', '2026-12-03 15:30'],
    ['后天晚上八点', '2026-12-04 20:00'],
    ['今天下午5点', '2026-12-02 17:00'],
    ['明天中午', '2026-12-03 12:00'],
    ['明天十点三十分', '2026-12-03 10:30'],
    ['in 3d', '2026-12-05 14:20'],
    ['in 2 hours', '2026-12-02 16:20'],
    ['in 90 min', '2026-12-02 15:50'],
    ['3天后', '2026-12-05 14:20'],
    ['两小时后', '2026-12-02 16:20'],
    ['fri', '2026-12-04 09:00'],
    ['Friday 16:00', '2026-12-04 16:00'],
    ['thursday', '2026-12-03 09:00'],
    ['tues 8:05', '2026-12-08 08:05'],
    ['wed', '2026-12-09 09:00'], // today is Wednesday: the next one
    ['next mon 15:00', '2026-12-07 15:00'],
    ['周五', '2026-12-04 09:00'],
    ['星期三', '2026-12-09 09:00'],
    ['下周一下午3点', '2026-12-07 15:00'],
    ['下周日', '2026-12-13 09:00'],
    ['3pm', '2026-12-02 15:00'],
    ['10am', '2026-12-03 10:00'], // already past today: tomorrow
    ['2026-12-10', '2026-12-10 09:00'],
    ['2026-12-10 14:00', '2026-12-10 14:00'],
    ['2026-12-10T14:00:00Z', '2026-12-10 22:00'],
    ['２０２６－１２－１０ １４：００'.normalize('NFKC'), '2026-12-10 14:00'],
  ])('%s → %s (Shanghai)', (text, expected) => {
    expect(local(text)).toBe(expected);
  });

  it.each([
    ['yesterday', 'unreadable'],
    ['10', 'unreadable'],
    ['tomorrow 25:00', 'unreadable'],
    ['tomorrow 13pm', 'unreadable'],
    ['2026-02-30', 'unreadable'],
    ['明天晚上12点', 'unreadable'],
    ['2026-12-01', 'past'],
    ['today 9am', 'past'],
    ['in 0d', 'past'],
    ['2028-01-01', 'too_far'],
    ['in 400d', 'too_far'],
    ['', 'unreadable'],
    ['month', 'unreadable'],
    ['monkey 10am', 'unreadable'],
    ['in 1 month', 'unreadable'],
  ])('%s → %s', (text, problem) => {
    expect(local(text)).toBe(problem);
  });

  it('reads wall-clock times in the team zone across a DST change', () => {
    // Saturday 7 March 2026, 12:00 in New York; clocks go forward on Sunday 8 March at 02:00.
    const ny = { now: new Date('2026-03-07T17:00:00Z'), timeZone: 'America/New_York' };
    const parsed = parseWhen('tomorrow 10am', ny);
    expect(parsed.ok && parsed.at.toISOString()).toBe('2026-03-08T14:00:00.000Z'); // EDT, UTC-4
    expect(local('tomorrow 10am', ny)).toBe('2026-03-08 10:00');
    expect(instantOf({ year: 2026, month: 3, day: 7, hour: 10, minute: 0 }, ny.timeZone).toISOString()).toBe(
      '2026-03-07T15:00:00.000Z',
    ); // EST, UTC-5
  });

  it('never throws on 10,000 random and adversarial inputs, and answers only a moment ahead or a problem', () => {
    const rng = new Rng(20261202);
    const pieces = [
      '明天',
      '下周',
      '周',
      'tomorrow',
      'next',
      'in',
      '3',
      '十',
      '点',
      '半',
      'pm',
      ':',
      '\u200f',
      '\u200b',
      '<@U1>',
      '@_user_1',
      "'; DROP TABLE lead; --",
    ];
    let moments = 0;
    for (let i = 0; i < 10_000; i++) {
      const text = rng.chance(0.5)
        ? Array.from({ length: 1 + rng.int(4) }, () => (rng.chance(0.7) ? rng.pick(pieces) : nastyString(rng))).join(
            rng.pick(['', ' ']),
          )
        : rng.chance(0.01)
          ? 'x'.repeat(40_000)
          : nastyString(rng);
      const parsed = parseWhen(text, shanghai);
      if (parsed.ok) {
        moments++;
        expect(parsed.at.getTime()).toBeGreaterThan(now.getTime());
      } else expect(['unreadable', 'past', 'too_far']).toContain(parsed.problem);
    }
    expect(moments).toBeGreaterThan(0);
  });
});
