import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { latestDigestSlot, parseDigestTime, slotDueAt } from '../../src/domain/reports/digest-schedule.js';
import { testTeam } from '../support/fixtures.js';

const sh = testTeam({
  timeZone: 'Asia/Shanghai',
  digest: { daily: { hour: 18, minute: 0 }, weekly: { weekday: 1, hour: 9, minute: 0 }, channels: {} },
});
const slot = (kind: 'daily' | 'weekly', now: string, team = sh) => {
  const s = latestDigestSlot(team, kind, new Date(now));
  return (
    s && { key: s.key, due: s.dueAt.toISOString(), from: s.period.from.toISOString(), to: s.period.to.toISOString() }
  );
};

describe('digest slots', () => {
  it('a daily digest at 18:00 Shanghai: today once it is past, else yesterday; it reports its own day', () => {
    expect(slot('daily', '2026-11-29T10:00:00Z')).toEqual({
      key: '2026-11-29',
      due: '2026-11-29T10:00:00.000Z',
      from: '2026-11-28T16:00:00.000Z',
      to: '2026-11-29T16:00:00.000Z',
    });
    expect(slot('daily', '2026-11-29T09:59:00Z')?.key).toBe('2026-11-28');
  });

  it('a weekly digest on Monday 09:00 reports the seven days before that Monday', () => {
    // Sunday 29 Nov: the latest Monday slot is 23 Nov.
    expect(slot('weekly', '2026-11-29T10:00:00Z')).toEqual({
      key: '2026-11-23',
      due: '2026-11-23T01:00:00.000Z',
      from: '2026-11-15T16:00:00.000Z',
      to: '2026-11-22T16:00:00.000Z',
    });
    expect(slot('weekly', '2026-11-30T00:59:00Z')?.key).toBe('2026-11-23');
    expect(slot('weekly', '2026-11-30T01:00:00Z')?.key).toBe('2026-11-30');
  });

  it('keeps the local time across a DST change', () => {
    const ny = testTeam({ timeZone: 'America/New_York', digest: { daily: { hour: 8, minute: 30 }, channels: {} } });
    expect(slot('daily', '2026-10-31T13:00:00Z', ny)?.due).toBe('2026-10-31T12:30:00.000Z'); // EDT
    expect(slot('daily', '2026-11-02T14:00:00Z', ny)?.due).toBe('2026-11-02T13:30:00.000Z'); // EST
    expect(slotDueAt(ny, 'daily', '2026-11-02')?.toISOString()).toBe('2026-11-02T13:30:00.000Z');
  });

  it('has no slot without a schedule', () => {
    expect(latestDigestSlot(testTeam(), 'daily', new Date())).toBeNull();
  });

  it.each<[string, object | null]>([
    ['18:00', { hour: 18, minute: 0 }],
    ['7:05', { hour: 7, minute: 5 }],
    ['mon 09:00', { weekday: 1, hour: 9, minute: 0 }],
    ['周五 17:30', { weekday: 5, hour: 17, minute: 30 }],
    ['24:00', null],
    ['monday 9', null],
  ])('reads %j', (text, time) => expect(parseDigestTime(text)).toEqual(time));

  it('names a bad digest time in the teams file by its path', () => {
    const file = (digest: string) => `teams:
  - id: a
    name: A
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    digest: ${digest}
`;
    expect(parseTeamsConfig(file('{ daily: "18:00", weekly: "fri 17:00" }'), 't').teams[0]?.digest).toEqual({
      daily: { hour: 18, minute: 0 },
      weekly: { weekday: 5, hour: 17, minute: 0 },
      channels: {},
    });
    const toChannels = file('{ daily: "18:00", slack: { channel: C0MGRS }, lark: { chat: oc_mgrs } }');
    expect(parseTeamsConfig(toChannels, 't').teams[0]?.digest?.channels).toEqual({ slack: 'C0MGRS', lark: 'oc_mgrs' });
    expect(() => parseTeamsConfig(file('{ daily: "18:00", slack: { channel: "#managers" } }'), 't')).toThrow(
      /teams\.0\.digest\.slack\.channel: must be a Slack channel id/,
    );
    expect(() => parseTeamsConfig(file('{ daily: "mon 18:00" }'), 't')).toThrow(/teams\.0\.digest\.daily/);
    expect(() => parseTeamsConfig(file('{ weekly: "18:00" }'), 't')).toThrow(/teams\.0\.digest\.weekly/);
  });
});
