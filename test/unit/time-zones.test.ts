import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import type { Desk } from '../../src/domain/leads/desk.js';
import type { Member } from '../../src/domain/leads/lead.js';
import { memberDirectory } from '../../src/messengers/shared/member-directory.js';
import { presentDirectMessage } from '../../src/messengers/shared/presenters/direct-message.presenter.js';
import { presentHome } from '../../src/messengers/shared/presenters/home.presenter.js';
import { presentPolicyHistory } from '../../src/messengers/shared/presenters/policy.presenter.js';
import { testLead, testTeam } from '../support/fixtures.js';

// 20:22 UTC on Sunday is already 04:22 on Monday in Shanghai: a different date.
const UNTIL = new Date('2026-12-06T20:22:00Z');
const team = testTeam({ timeZone: 'Asia/Shanghai' });
const teams = { find: (id: string) => (id === team.id ? team : undefined), all: () => [team] } as never;
const rep: Member = { id: 'm1', teamId: 'alpha', displayName: 'Ana', role: 'rep', locale: 'en', active: true };

function deskWithCooldown(): Desk {
  return {
    memberships: [rep],
    open: [],
    openCount: 0,
    overdueCount: 0,
    dueTodayCount: 0,
    quotas: [],
    cooldowns: [{ leadId: 7, until: UNTIL }],
    teamOverdue: [],
  } as unknown as Desk;
}

const homeText = (timeZone: string) =>
  JSON.stringify(presentHome(deskWithCooldown(), teams, { locale: 'en', timeZone }, new Date('2026-12-06T12:00:00Z')));

describe('every time shown to a person is in their zone, then their team’s', () => {
  it('the Home tab’s cooldown end and the reclaim DM name the same local moment', () => {
    const dm = presentDirectMessage('dm.sla_reclaimed_owner', { until: UNTIL.toISOString() }, testLead(), rep, team);
    expect(dm).toContain('Mon, Dec 7, 04:22 GMT+8');
    expect(homeText('Asia/Shanghai')).toContain('Mon, Dec 7, 04:22 GMT+8');
    expect(homeText('Asia/Shanghai')).not.toContain('UTC');
  });

  it('a member with a zone of their own gets it in DMs, the Home tab and the rules history', () => {
    const berliner = { ...rep, timeZone: 'Europe/Berlin' };
    const dm = presentDirectMessage(
      'dm.sla_reclaimed_owner',
      { until: UNTIL.toISOString() },
      testLead(),
      berliner,
      team,
    );
    expect(dm).toContain('Sun, Dec 6, 21:22 GMT+1');
    expect(homeText('Europe/Berlin')).toContain('Sun, Dec 6, 21:22 GMT+1');
    const history = presentPolicyHistory(
      'en',
      { version: 2, entries: [{ version: 2, at: UNTIL, actorName: 'Max', summary: 'quota 5>6' } as never] },
      'Europe/Berlin',
    );
    expect(history).toContain('Sun, Dec 6, 21:22 GMT+1');
  });

  it('the directory gives a member’s own zone, else their team’s', () => {
    const config = parseTeamsConfig(
      `teams:
  - id: alpha
    name: Alpha
    timezone: Asia/Shanghai
    slack: { channel: C1 }
    claim: { dailyQuota: 5, holdingCap: 30, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Ana, slack: U1 }
      - { name: Max, slack: U2, timezone: Europe/Berlin }
`,
      'teams.yaml',
    );
    const directory = memberDirectory('slack', config.teams, config.members);
    expect(directory.timeZoneOf('U1')).toBe('Asia/Shanghai');
    expect(directory.timeZoneOf('U2')).toBe('Europe/Berlin');
    expect(() =>
      parseTeamsConfig(
        'teams:\n  - id: a\n    name: A\n    timezone: UTC\n    slack: { channel: C1 }\n    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }\n    sla: { followUp: 1h }\n    members:\n      - { name: Bo, slack: U3, timezone: Mars/Olympus }\n',
        'teams.yaml',
      ),
    ).toThrow(/timezone/);
  });
});
