import { describe, expect, it } from 'vitest';
import { loadTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { EXAMPLE_TEAMS_CONFIG } from '../../src/config/teams-schema.js';
import { demoStart, localHour } from '../../src/demo/demo-day.js';
import { demoLeads } from '../../src/demo/demo-leads.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { ScaledClock } from '../../src/domain/shared/clock.js';

const config = loadTeamsConfig(EXAMPLE_TEAMS_CONFIG);
const teams = teamDirectory(config.teams);
const take = (n: number, seed?: number) => {
  const stream = demoLeads({ team: 'inbound', ...(seed === undefined ? {} : { seed }) });
  return Array.from({ length: n }, () => stream.next());
};
const CJK = /[\u4e00-\u9fff]/;

describe('demo leads', () => {
  const leads = take(500);

  it('are leads intake takes as they are: no refusal, no warning, phones read as valid numbers', () => {
    for (const lead of leads) {
      const checked = validateLead(lead, teams, config.sources);
      if (!checked.ok) throw new Error(`refused ${JSON.stringify(lead)}: ${JSON.stringify(checked.problems)}`);
      expect(checked.lead.warnings, JSON.stringify(lead)).toEqual([]);
      expect(checked.lead.phone).toMatch(/^\+(86|44)\d{9,11}$/);
      expect(checked.lead.email).toMatch(/@/);
    }
  });

  it('mix Chinese and English people, sources and behaviour, and bring a few people back', () => {
    const chinese = leads.filter((l) => CJK.test(l.name)).length;
    expect(chinese / leads.length).toBeGreaterThan(0.5);
    expect(chinese / leads.length).toBeLessThan(0.7);
    expect(new Set(leads.map((l) => l.source)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(leads.map((l) => (l.signals as { visits: number }).visits)).size).toBeGreaterThan(5);
    // A person who comes back has the e-mail they had, so intake finds them again.
    const emails = leads.map((l) => l.email);
    const repeats = emails.length - new Set(emails).size;
    expect(repeats / leads.length).toBeGreaterThan(0.02);
    expect(repeats / leads.length).toBeLessThan(0.12);
    // Everyone else is someone new.
    expect(new Set(leads.map((l) => `${l.name}|${l.email}`)).size).toBe(new Set(emails).size);
  });

  it('are the same day for the same seed, and another for another', () => {
    expect(take(50)).toEqual(take(50));
    expect(take(50, 7)).toEqual(take(50, 7));
    expect(take(50, 7)).not.toEqual(take(50, 8));
  });
});

describe('the demo clock', () => {
  it('runs a given number of times faster than the wall clock, from its start', () => {
    let wall = 1_000_000;
    const clock = new ScaledClock(new Date('2026-12-07T09:00:00+08:00'), 48, () => wall);
    expect(clock.now().toISOString()).toBe('2026-12-07T01:00:00.000Z');
    wall += 10 * 60_000; // ten minutes of wall time: eight hours of a working day
    expect(clock.now().toISOString()).toBe('2026-12-07T09:00:00.000Z');
  });

  it('can be held at its start until it is told to run', () => {
    let wall = 0;
    const clock = new ScaledClock(new Date('2026-12-07T08:50:00Z'), 60, () => wall, { held: true });
    wall += 30_000;
    expect(clock.now().toISOString()).toBe('2026-12-07T08:50:00.000Z');
    clock.run();
    wall += 1_000;
    expect(clock.now().toISOString()).toBe('2026-12-07T08:51:00.000Z');
    clock.run();
    expect(clock.now().toISOString()).toBe('2026-12-07T08:51:00.000Z');
  });

  it('refuses a speed that is no speed', () => {
    for (const factor of [0, 0.5, -2, Number.NaN, 100_000])
      expect(() => new ScaledClock(new Date(), factor)).toThrow(/not 1 to 10,000/);
  });
});

describe('the demo day', () => {
  it("starts at the time asked on the last working day in the team's zone", () => {
    // Monday 07:00 in Shanghai (Sunday 23:00 UTC): that Monday.
    expect(demoStart(new Date('2026-12-06T23:00:00Z'), '08:50', 8).toISOString()).toBe('2026-12-07T00:50:00.000Z');
    // Sunday and Saturday in Shanghai: the Friday before.
    expect(demoStart(new Date('2026-12-06T12:00:00Z'), '16:50', 8).toISOString()).toBe('2026-12-04T08:50:00.000Z');
    expect(demoStart(new Date('2026-12-05T03:00:00Z'), '08:50', 8).toISOString()).toBe('2026-12-04T00:50:00.000Z');
  });

  it("reads the hour of the day in the team's zone", () => {
    expect(localHour(new Date('2026-12-07T02:30:00Z'), 'Asia/Shanghai')).toBe(10.5);
    expect(localHour(new Date('2026-12-07T16:15:00Z'), 'Asia/Shanghai')).toBe(0.25);
  });
});
