import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { conversionWindow, followUpWindow } from '../../src/domain/leads/team-policy.js';
import { localTimeOf } from '../../src/domain/shared/time-zone.js';
import {
  addWorkingTime,
  isWorkingTime,
  subtractWorkingTime,
  type WorkingCalendar,
  workingTimeBetween,
} from '../../src/domain/sla/working-time.js';
import { testTeam } from '../support/fixtures.js';

const H = 3_600_000;
const office: WorkingCalendar = {
  days: [1, 2, 3, 4, 5],
  startMinute: 9 * 60,
  endMinute: 18 * 60,
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};
const sh = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);
const add = (from: string, ms: number, zone = sh, calendar = office) =>
  addWorkingTime(at(from), ms, calendar, zone).toISOString();

describe('working time', () => {
  it('carries Friday evening’s deadline over the weekend to Monday morning', () => {
    // Friday 27 Nov 17:00 Shanghai + 2 working hours: one hour Friday, one hour Monday.
    expect(add('2026-11-27T09:00:00Z', 2 * H)).toBe('2026-11-30T02:00:00.000Z'); // Mon 10:00
    // Saturday 03:00 + 1 h: nothing counts until Monday 09:00.
    expect(add('2026-11-27T19:00:00Z', 1 * H)).toBe('2026-11-30T02:00:00.000Z');
  });

  it('skips holidays and works the make-up day (调休)', () => {
    // Wed 30 Sep 17:30 + 1 h: half an hour that day, then the National Day holidays and the weekend,
    // then the rest on Thursday 8 Oct.
    expect(add('2026-09-30T09:30:00Z', 1 * H)).toBe('2026-10-08T01:30:00.000Z');
    // Fri 9 Oct 17:30 + 1 h: Saturday 10 Oct is a make-up working day.
    expect(add('2026-10-09T09:30:00Z', 1 * H)).toBe('2026-10-10T01:30:00.000Z');
  });

  it('keeps local office hours across New York’s DST change', () => {
    const ny: WorkingCalendar = {
      days: [1, 2, 3, 4, 5],
      startMinute: 540,
      endMinute: 1020,
      holidays: [],
      workdays: [],
    };
    // Friday 30 Oct 16:00 EDT + 2 h: one hour Friday, one on Monday 2 Nov from 09:00 EST.
    expect(add('2026-10-30T20:00:00Z', 2 * H, 'America/New_York', ny)).toBe('2026-11-02T15:00:00.000Z');
    // And back: the reminder 30 working minutes before Monday 09:10 EST is Friday 16:40 EDT.
    expect(subtractWorkingTime(at('2026-11-02T14:10:00Z'), H / 2, ny, 'America/New_York').toISOString()).toBe(
      '2026-10-30T20:40:00.000Z',
    );
  });

  it('never falls due outside working hours, for any start and length', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2_000; i++) {
      const from = new Date(
        Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 24) * H + Math.floor(random() * 60) * 60_000,
      );
      const due = addWorkingTime(from, Math.ceil(random() * 72) * 15 * 60_000, office, sh);
      const local = localTimeOf(due, sh);
      const key = due.toLocaleDateString('en-CA', { timeZone: sh });
      const minute = local.hour * 60 + local.minute;
      const workday =
        office.workdays.includes(key) || (office.days.includes(local.weekday) && !office.holidays.includes(key));
      expect(
        workday && minute > office.startMinute && minute <= office.endMinute,
        `${from.toISOString()} → ${key} ${minute}`,
      ).toBe(true);
    }
  });

  it('sets a team’s deadline by the grade of the lead, in working time, reminding before it in working time', () => {
    const team = testTeam({
      followUpMs: 4 * H,
      followUpByGrade: { good: 1 * H },
      remindBeforeMs: H / 2,
      calendar: office,
    });
    const friday1730 = at('2026-11-27T09:30:00Z');
    const good = followUpWindow(team, friday1730, undefined, 'good');
    expect(good.dueAt.toISOString()).toBe('2026-11-30T01:30:00.000Z'); // Mon 09:30
    expect(good.remindAt.toISOString()).toBe('2026-11-30T01:00:00.000Z'); // Mon 09:00
    const poor = followUpWindow(team, friday1730, undefined, 'poor');
    expect(poor.dueAt.toISOString()).toBe('2026-11-30T04:30:00.000Z'); // Mon 12:30
    // Without working hours a deadline is wall-clock time, as before.
    const plain = followUpWindow(testTeam({ followUpMs: 4 * H, remindBeforeMs: H / 2 }), friday1730);
    expect(plain.dueAt.toISOString()).toBe('2026-11-27T13:30:00.000Z');
  });

  it('tells working time from time off', () => {
    expect(isWorkingTime(at('2026-11-27T01:00:00Z'), office, sh)).toBe(true); // Friday 09:00 Shanghai
    expect(isWorkingTime(at('2026-11-27T00:59:59Z'), office, sh)).toBe(false); // 08:59
    expect(isWorkingTime(at('2026-11-27T10:00:00Z'), office, sh)).toBe(false); // 18:00, the end
    expect(isWorkingTime(at('2026-11-28T03:00:00Z'), office, sh)).toBe(false); // Saturday
    expect(isWorkingTime(at('2026-10-01T03:00:00Z'), office, sh)).toBe(false); // a holiday
    expect(isWorkingTime(at('2026-10-10T03:00:00Z'), office, sh)).toBe(true); // a make-up Saturday
  });

  it('measures the working time between two instants, the inverse of adding it', () => {
    // Friday 17:30 to Monday 10:00 Shanghai: half an hour on Friday and one hour on Monday.
    expect(workingTimeBetween(at('2026-11-27T09:30:00Z'), at('2026-11-30T02:00:00Z'), office, sh)).toBe(1.5 * H);
    // Across National Day: Wed 30 Sep 17:30 to Thu 8 Oct 09:30 is one hour.
    expect(workingTimeBetween(at('2026-09-30T09:30:00Z'), at('2026-10-08T01:30:00Z'), office, sh)).toBe(H);
    expect(workingTimeBetween(at('2026-11-30T02:00:00Z'), at('2026-11-27T09:30:00Z'), office, sh)).toBe(0);
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 500; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 365 * 24 * 60) * 60_000);
      const ms = Math.ceil(random() * 200) * 15 * 60_000;
      expect(workingTimeBetween(from, addWorkingTime(from, ms, office, sh), office, sh)).toBe(ms);
    }
  });

  it('reminds at a share of the way to the deadline, counted in working time', () => {
    const friday1700 = at('2026-11-27T09:00:00Z');
    const team = testTeam({ followUpMs: 4 * H, remindBeforeMs: undefined, remindAtShare: 0.75, calendar: office });
    const window = followUpWindow(team, friday1700);
    expect(window.dueAt.toISOString()).toBe('2026-11-30T04:00:00.000Z'); // Mon 12:00
    expect(window.remindAt.toISOString()).toBe('2026-11-30T03:00:00.000Z'); // Mon 11:00: 3 of 4 working hours gone
    // Neither set: 75 % too. Without working hours the share is of wall-clock time.
    const plain = followUpWindow(testTeam({ followUpMs: 4 * H, remindBeforeMs: undefined }), friday1700);
    expect(plain.remindAt.toISOString()).toBe('2026-11-27T12:00:00.000Z');
    // A promised next contact shortens the window, and the reminder keeps its share of it.
    const soon = followUpWindow(team, friday1700, at('2026-11-27T09:40:00Z'));
    expect(soon.remindAt.toISOString()).toBe('2026-11-27T09:30:00.000Z');
    // The conversion warning: 80 % of the way unless set.
    const convert = conversionWindow(testTeam({ convertWithinMs: 10 * H, calendar: office }), friday1700);
    expect(convert?.dueAt.toISOString()).toBe('2026-11-30T10:00:00.000Z'); // Mon 18:00: 1 h Friday, 9 h Monday
    expect(convert?.warnAt.toISOString()).toBe('2026-11-30T08:00:00.000Z'); // Mon 16:00: 8 of 10 hours
    const half = conversionWindow(testTeam({ convertWithinMs: 10 * H, convertWarnAtShare: 0.5 }), friday1700);
    expect(half?.warnAt.toISOString()).toBe('2026-11-27T14:00:00.000Z');
  });

  it('reads the reminder as a time before the deadline or a share of the way, one of them', () => {
    const file = (sla: string) => `teams:
  - id: a
    name: A
    timezone: Asia/Shanghai
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: ${sla}
`;
    const team = (sla: string) => parseTeamsConfig(file(sla), 't').teams[0];
    expect(team('{ followUp: 4h, remindAt: "75%", convertWithin: 2d, convertWarnAt: 0.9 }')).toMatchObject({
      remindAtShare: 0.75,
      convertWarnAtShare: 0.9,
    });
    expect(team('{ followUp: 4h, remindBefore: 30m }')).toMatchObject({ remindBeforeMs: H / 2 });
    expect(team('{ followUp: 4h }')?.remindBeforeMs).toBeUndefined();
    expect(() => team('{ followUp: 4h, remindBefore: 30m, remindAt: "75%" }')).toThrow(
      /teams\.0\.sla\.remindAt: set remindBefore or remindAt, not both/,
    );
    expect(() => team('{ followUp: 4h, remindAt: "100%" }')).toThrow(/teams\.0\.sla\.remindAt: below 100%/);
    expect(() => team('{ followUp: 4h, convertWarnAt: "120%" }')).toThrow(/convertWarnAt: at most 100%/);
  });

  it('reads working hours from the teams file, and names a bad one by its path', () => {
    const file = (hours: string) => `teams:
  - id: a
    name: A
    timezone: Asia/Shanghai
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 30m, byGrade: { good: 1h } }
    workingHours: ${hours}
`;
    const team = parseTeamsConfig(
      file(
        '{ days: [mon, tue, 周三, thu, fri], from: "09:00", to: "18:00", holidays: ["2026-10-01"], workdays: ["2026-10-10"] }',
      ),
      't',
    ).teams[0];
    expect(team?.calendar).toEqual({
      days: [1, 2, 3, 4, 5],
      startMinute: 540,
      endMinute: 1080,
      holidays: ['2026-10-01'],
      workdays: ['2026-10-10'],
    });
    expect(team?.followUpByGrade).toEqual({ good: H });
    expect(() => parseTeamsConfig(file('{ days: [funday], from: "09:00", to: "18:00" }'), 't')).toThrow(
      /teams\.0\.workingHours\.days\.0: "funday" is not a weekday/,
    );
    expect(() => parseTeamsConfig(file('{ days: [mon], from: "18:00", to: "09:00" }'), 't')).toThrow(
      /teams\.0\.workingHours\.to: "from" must be before "to"/,
    );
  });
});
