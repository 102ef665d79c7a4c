import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LivePolicy } from '../../src/config/live-policy.js';
import { setAt, TeamsPolicyEditor } from '../../src/config/policy-editor.js';
import { type TeamsDocument, teamsConfigFrom } from '../../src/config/teams-config.js';
import { ManualClock } from '../../src/domain/shared/clock.js';

const doc = parse(`teams:
  - id: alpha
    name: Alpha
    timezone: UTC
    claim: { dailyQuota: 5, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
    pools:
      - { id: east, match: { region: [East] }, mode: round_robin }
      - { id: rest }
`) as TeamsDocument;
const build = (d: TeamsDocument) => teamsConfigFrom(d, 'test');

function editor() {
  const live = new LivePolicy(4, doc, build(doc));
  const kept: unknown[] = [];
  const versions = {
    commit: async (base: number, next: unknown) => {
      kept.push(next);
      return base === live.version ? base + 1 : null;
    },
    history: async () => [],
  };
  const edit = new TeamsPolicyEditor({
    live,
    versions,
    readFile: () => ({ doc, hash: 'h' }),
    build,
    clock: new ManualClock('2026-11-29T09:00:00Z'),
  });
  return { live, edit, kept };
}

describe('policy paths', () => {
  it('steps into lists by index, id or name, adds with +, makes missing groups, and removes with null', () => {
    const team = structuredClone((doc.teams as Record<string, unknown>[])[0]) as Record<string, unknown>;
    expect(setAt(team, ['pools', 'east', 'mode'], 'weighted')).toEqual({ before: 'round_robin', after: 'weighted' });
    expect(setAt(team, ['members', 'Bo', 'dailyQuota'], 8)).toEqual({ before: undefined, after: 8 });
    expect(setAt(team, ['pools', '+'], { id: 'vip' })).toEqual({ before: undefined, after: { id: 'vip' } });
    expect(setAt(team, ['digest', 'daily'], '18:00')).toEqual({ before: undefined, after: '18:00' });
    expect(setAt(team, ['cardBurst', 'x'], 1)).toEqual({ before: undefined, after: 1 });
    expect(setAt(team, ['claim', 'cooldown'], null)).toEqual({ before: '1h', after: undefined });
    expect((team.claim as Record<string, unknown>).cooldown).toBeUndefined();
    expect(setAt(team, ['pools', 'west', 'mode'], 'claim')).toBe('no "west" in pools');
    expect(setAt(team, ['name', 'first'], 'x')).toBe('name is a single value, not a group of settings');
  });
});

describe('proposing a change', () => {
  it('checks the whole policy: a bad value is refused with its path, and the policy in force is untouched', () => {
    const { edit, live } = editor();
    const refused = edit.propose('alpha', ['pools', 'east', 'mode'], 'lottery');
    expect(refused.ok).toBe(false);
    // Named as the admin typed it: the team by id, the pool by id, not their places in the lists.
    expect(refused.ok ? [] : refused.problems.map((p) => p.where)).toEqual(['alpha pools.east.mode']);
    expect(edit.propose('omega', ['claim', 'dailyQuota'], 1)).toEqual({
      ok: false,
      problems: [{ where: 'omega', text: 'no such team' }],
    });
    const tooSmall = edit.propose('alpha', ['claim', 'dailyQuota'], 0);
    expect(tooSmall.ok ? [] : tooSmall.problems).toEqual([
      expect.objectContaining({
        where: 'alpha claim.dailyQuota',
        problem: expect.objectContaining({ code: 'too_small' }),
      }),
    ]);
    const pools = (live.doc.teams as { pools: { mode: string }[] }[])[0]?.pools ?? [];
    expect(pools[0]?.mode).toBe('round_robin');
  });

  it('says what changes, and nothing when the value is already the rule', () => {
    const { edit } = editor();
    const changed = edit.propose('alpha', ['claim', 'dailyQuota'], 8);
    expect(changed.ok && changed.proposal.changes).toEqual(['teams.alpha.claim.dailyQuota: 5 → 8']);
    expect(changed.ok && changed.proposal.teams.find('alpha')?.dailyClaimQuota).toBe(8);
    const same = edit.propose('alpha', ['claim', 'dailyQuota'], 5);
    expect(same.ok && same.proposal.changes).toEqual([]);
  });

  it('puts a kept version in force here, and keeps none when the policy moved on', async () => {
    const { edit, live } = editor();
    const first = edit.propose('alpha', ['claim', 'dailyQuota'], 8);
    const second = edit.propose('alpha', ['claim', 'holdingCap'], 20);
    if (!first.ok || !second.ok) throw new Error('expected valid proposals');
    expect(await edit.commit(first.proposal, 'admin')).toBe(5);
    expect(live.version).toBe(5);
    expect(live.teams.find('alpha')?.dailyClaimQuota).toBe(8);
    expect(await edit.commit(second.proposal, 'admin')).toBeNull();
    expect(live.teams.find('alpha')?.holdingCap).toBe(10);
  });
});
