import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { pickIn } from '../../src/domain/distribution/assign-from-pool.js';
import { CATCH_UP_LEADS, type Candidate, chooseAssignee } from '../../src/domain/distribution/choose-assignee.js';
import { DEFAULT_POOL, type Pool, routeLead } from '../../src/domain/distribution/pools.js';
import { rankMembers } from '../../src/domain/distribution/ranking.js';
import type { Member, TeamPolicy } from '../../src/domain/leads/lead.js';
import type { Grade } from '../../src/domain/scoring/score-rules.js';

/** Gives `leads` leads one by one, as the pool would, with who may take each one decided by `refusal`. */
function run(
  mode: Pool['mode'],
  reps: { id: string; weight?: number }[],
  leads: number,
  refusal: (rep: string, lead: number) => string | null = () => null,
) {
  const assigned = new Map(reps.map((r) => [r.id, 0]));
  const got = new Map(reps.map((r) => [r.id, [] as number[]]));
  for (let lead = 0; lead < leads; lead++) {
    const candidates: Candidate[] = reps.map((r, order) => ({
      memberId: r.id,
      order,
      weight: r.weight ?? 1,
      assigned: assigned.get(r.id) ?? 0,
      held: assigned.get(r.id) ?? 0,
      refusal: refusal(r.id, lead),
    }));
    const choice = chooseAssignee(mode, candidates);
    if (!choice) continue;
    for (const raise of choice.raised) assigned.set(raise.memberId, raise.assigned);
    const id = choice.chosen.memberId;
    expect(candidates.find((c) => c.memberId === id)?.refusal).toBeNull();
    assigned.set(id, (assigned.get(id) ?? 0) + 1);
    got.get(id)?.push(lead);
  }
  return got;
}

const count = (got: Map<string, number[]>, id: string) => got.get(id)?.length ?? 0;

describe('choosing who gets a lead', () => {
  it('round robin takes turns: 5,000 leads among 5 reps, exactly 1,000 each, in order', () => {
    const reps = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    const got = run('round_robin', reps, 5_000);
    for (const { id } of reps) expect(count(got, id)).toBe(1_000);
    expect(got.get('a')?.slice(0, 3)).toEqual([0, 5, 10]);
    expect(got.get('c')?.slice(0, 3)).toEqual([2, 7, 12]);
  });

  it('weighted gives shares by weight: 6,000 leads at 3:2:1, each within one lead of its share', () => {
    const got = run(
      'weighted',
      [
        { id: 'a', weight: 3 },
        { id: 'b', weight: 2 },
        { id: 'c', weight: 1 },
      ],
      6_000,
    );
    expect(Math.abs(count(got, 'a') - 3_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(count(got, 'b') - 2_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(count(got, 'c') - 1_000)).toBeLessThanOrEqual(1);
    // And spread out, not in runs: in any 6 leads in a row, each rep gets its share ±1.
    const owner = new Map<number, string>();
    for (const [id, leads] of got) for (const lead of leads) owner.set(lead, id);
    for (let start = 0; start + 6 <= 6_000; start += 6) {
      const window = Array.from({ length: 6 }, (_, i) => owner.get(start + i));
      expect(Math.abs(window.filter((o) => o === 'a').length - 3)).toBeLessThanOrEqual(1);
    }
  });

  it('gives a paused rep nothing, and on their return a bounded catch-up instead of a flood', () => {
    const reps = ['a', 'b', 'c', 'd'].map((id) => ({ id }));
    const away = (rep: string, lead: number) => (rep === 'd' && lead < 2_000 ? 'paused' : null);
    const got = run('round_robin', reps, 2_400, away);
    const d = got.get('d') ?? [];
    expect(d.filter((lead) => lead < 2_000)).toEqual([]);
    // After the return: 400 leads, a fair share is 100; the catch-up adds at most CATCH_UP_LEADS.
    expect(d.length).toBeGreaterThanOrEqual(100);
    expect(d.length).toBeLessThanOrEqual(100 + CATCH_UP_LEADS);
    // The first leads after the return are not all theirs.
    const next8 = Array.from({ length: 8 }, (_, i) => 2_000 + i).filter((lead) => d.includes(lead));
    expect(next8.length).toBeLessThanOrEqual(2 + CATCH_UP_LEADS);
  });

  it('never picks someone refused, whatever mix of refusals, and nobody when all are', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const reps = Array.from({ length: 7 }, (_, i) => ({ id: `r${i}`, weight: 1 + Math.floor(random() * 4) }));
    const refusals = new Map<string, string | null>();
    const got = run('weighted', reps, 3_000, (rep, lead) => {
      const key = `${rep}:${lead}`;
      if (!refusals.has(key)) refusals.set(key, random() < 0.4 ? 'holding_cap' : null);
      return refusals.get(key) ?? null;
    }); // `run` asserts each pick was eligible
    expect([...got.values()].flat().length).toBeGreaterThan(2_900);
    expect(
      chooseAssignee('round_robin', [{ memberId: 'x', order: 0, weight: 1, assigned: 0, held: 0, refusal: 'paused' }]),
    ).toBeNull();
  });

  it('least loaded gives the lead to whoever holds the fewest open leads now', () => {
    const c = (memberId: string, held: number, assigned = 0, refusal: string | null = null): Candidate => ({
      memberId,
      order: memberId.charCodeAt(0),
      weight: 1,
      assigned,
      held,
      refusal,
    });
    expect(chooseAssignee('least_loaded', [c('a', 5), c('b', 2), c('c', 3)])?.chosen.memberId).toBe('b');
    expect(chooseAssignee('least_loaded', [c('a', 2, 9), c('b', 2, 4)])?.chosen.memberId).toBe('b');
    expect(chooseAssignee('least_loaded', [c('a', 0, 0, 'paused'), c('b', 7)])?.chosen.memberId).toBe('b');
    // Over many leads with nobody closing any, holdings stay level.
    const got = run(
      'least_loaded',
      ['a', 'b', 'c'].map((id) => ({ id })),
      300,
    );
    expect(['a', 'b', 'c'].map((id) => count(got, id))).toEqual([100, 100, 100]);
  });
});

describe('pools', () => {
  const east: Pool = { ...DEFAULT_POOL, id: 'east', match: { region: ['East', '华东'] }, mode: 'round_robin' };
  const good: Pool = { ...DEFAULT_POOL, id: 'good', match: { grade: ['good'], industry: ['SaaS'] } };
  const lead = (fields: { region?: string; industry?: string; grade?: Grade }) => ({
    region: null,
    industry: null,
    source: null,
    grade: 'poor' as Grade,
    type: 'marketing' as const,
    companySize: null,
    ...fields,
  });

  it('sends a lead to the first pool whose every field matches, else the default', () => {
    expect(routeLead([east, good], lead({ region: 'east' })).id).toBe('east');
    expect(routeLead([east, good], lead({ region: '华东' })).id).toBe('east');
    expect(routeLead([good, east], lead({ region: 'East', grade: 'good', industry: 'saas' })).id).toBe('good');
    expect(routeLead([good, east], lead({ grade: 'good' })).id).toBe('default');
    expect(routeLead(undefined, lead({})).id).toBe('default');
  });

  it('reads pools from the teams file and names a bad one by its path', () => {
    const file = (pools: string) => `teams:
  - id: t
    name: T
    timezone: UTC
    claim: { dailyQuota: 5, holdingCap: 5, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Ann, slack: UANN }
      - { name: Bo, slack: UBO }
    pools: ${pools}
`;
    const [team] = parseTeamsConfig(
      file(
        '[{ id: east, match: { region: [East] }, mode: weighted, members: [Ann, Bo], weights: { Ann: 2 } }, { id: rest }]',
      ),
      't',
    ).teams;
    expect(team?.pools).toEqual([
      {
        id: 'east',
        name: 'east',
        match: { region: ['East'] },
        memberNames: ['Ann', 'Bo'],
        mode: 'weighted',
        weights: { Ann: 2 },
      },
      { id: 'rest', name: 'rest', match: {}, memberNames: null, mode: 'claim', weights: {} },
    ]);
    expect(() => parseTeamsConfig(file('[{ id: east, members: [Zed] }]'), 't')).toThrow(
      /teams\.0\.pools\.0\.members\.0: "Zed" is not a member of the team/,
    );
    expect(() => parseTeamsConfig(file('[{ id: east, mode: round_robin, weights: { Ann: 2 } }]'), 't')).toThrow(
      /teams\.0\.pools\.0\.weights: weights count only in mode "weighted"/,
    );
    expect(() =>
      parseTeamsConfig(file('[{ id: a, firstTo: { members: [Zed], grades: [good], for: 10m } }]'), 't'),
    ).toThrow(/teams\.0\.pools\.0\.firstTo\.members\.0: "Zed" is not a member of the team/);
    expect(() =>
      parseTeamsConfig(file('[{ id: a, firstTo: { members: [Ann], grades: [great], for: 10m } }]'), 't'),
    ).toThrow(/teams\.0\.pools\.0\.firstTo\.grades\.0/);
    expect(() => parseTeamsConfig(file('[{ id: a }, { id: a }]'), 't')).toThrow(
      /teams\.0\.pools\.1\.id: duplicate pool id "a"/,
    );
    expect(() => parseTeamsConfig(file('[{ id: a, match: { colour: [red] } }]'), 't')).toThrow(
      /teams\.0\.pools\.0\.match/,
    );
    expect(() => parseTeamsConfig(file('[{ id: a, mode: lottery }]'), 't')).toThrow(/teams\.0\.pools\.0\.mode/);
  });
});

describe('score tier and ranking', () => {
  const team = parseTeamsConfig(
    `teams:
  - id: t
    name: T
    timezone: UTC
    claim: { dailyQuota: 10000, holdingCap: 10000, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Sen A, slack: USENA, senior: true }
      - { name: Sen B, slack: USENB, senior: true }
      - { name: Rep C, slack: UREPC }
      - { name: Rep D, slack: UREPD }
      - { name: Rep E, slack: UREPE }
    pools:
      - { id: tier, mode: score_tier, topTier: { priorities: [high] } }
`,
    'tiers',
  ).teams[0] as TeamPolicy;
  const pool = team.pools?.[0] as Pool;
  const members = ['Sen A', 'Sen B', 'Rep C', 'Rep D', 'Rep E'].map(
    (name): Member => ({ id: name, teamId: 't', displayName: name, role: 'rep', locale: 'en', active: true }),
  );

  it('gives 3,000 generated leads by tier: high ones in turns to the seniors, the rest in turns to the others; a busy tier hands over', () => {
    let seed = 20261129;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const assigned = new Map(members.map((m) => [m.id, 0]));
    const got = new Map<string, { high: number; other: number }>(members.map((m) => [m.id, { high: 0, other: 0 }]));
    let handedOver = 0;
    for (let i = 0; i < 3_000; i++) {
      const priority = random() < 0.3 ? 'high' : random() < 0.5 ? 'medium' : 'low';
      // For the last 300 leads both seniors are at their cap: their tier hands over.
      const seniorsBusy = i >= 2_700;
      const candidates: Candidate[] = members.map((m, order) => ({
        memberId: m.id,
        order,
        weight: 1,
        assigned: assigned.get(m.id) ?? 0,
        held: 0,
        refusal: seniorsBusy && m.id.startsWith('Sen') ? 'holding_cap' : null,
      }));
      const picked = pickIn(pool, team, { priority }, members, candidates);
      if (!picked) throw new Error('nobody picked');
      const id = picked.choice.chosen.memberId;
      for (const raise of picked.choice.raised) assigned.set(raise.memberId, raise.assigned);
      assigned.set(id, (assigned.get(id) ?? 0) + 1);
      const row = got.get(id) as { high: number; other: number };
      if (priority === 'high') row.high++;
      else row.other++;
      if (seniorsBusy && priority === 'high') {
        expect(picked.tier).toBe('others');
        handedOver++;
      } else expect(picked.tier).toBe(priority === 'high' ? 'senior' : 'others');
    }
    expect(handedOver).toBeGreaterThan(50);
    // Seniors got only high leads, and within one of each other.
    expect(got.get('Sen A')?.other).toBe(0);
    expect(Math.abs((got.get('Sen A')?.high ?? 0) - (got.get('Sen B')?.high ?? 0))).toBeLessThanOrEqual(1);
    const others = ['Rep C', 'Rep D', 'Rep E'].map((id) => (got.get(id)?.high ?? 0) + (got.get(id)?.other ?? 0));
    expect(Math.max(...others) - Math.min(...others)).toBeLessThanOrEqual(1);
  });

  it('ranks by conversions and follow-ups into bands, and a ranking pool shares 6,000 leads 3:2:1 by band', () => {
    const ranked = rankMembers({ windowMs: 1, shares: [3, 2, 1], conversionWeight: 5 }, [
      { memberId: 'c', name: 'Cy', conversions: 0, followUps: 2 },
      { memberId: 'a', name: 'Ann', conversions: 2, followUps: 0 },
      { memberId: 'b', name: 'Bo', conversions: 0, followUps: 7 },
    ]);
    expect(ranked.map((r) => [r.name, r.rank, r.score, r.weight])).toEqual([
      ['Ann', 1, 10, 3],
      ['Bo', 2, 7, 2],
      ['Cy', 3, 2, 1],
    ]);
    // Six members in three bands: two a band, nobody left without a share.
    const six = rankMembers(
      { windowMs: 1, shares: [3, 2, 1], conversionWeight: 5 },
      ['u', 'v', 'w', 'x', 'y', 'z'].map((name, i) => ({ memberId: name, name, conversions: 0, followUps: 10 - i })),
    );
    expect(six.map((r) => r.weight)).toEqual([3, 3, 2, 2, 1, 1]);
    const got = run(
      'ranking',
      ranked.map((r) => ({ id: r.memberId, weight: r.weight })),
      6_000,
    );
    expect(Math.abs(count(got, 'a') - 3_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(count(got, 'b') - 2_000)).toBeLessThanOrEqual(1);
    expect(Math.abs(count(got, 'c') - 1_000)).toBeLessThanOrEqual(1);
  });

  it('refuses tier and ranking settings in the wrong mode, with their paths', () => {
    const bad = () =>
      parseTeamsConfig(
        `teams:
  - id: t
    name: T
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: { followUp: 1h }
    pools:
      - { id: a, mode: round_robin, topTier: { priorities: [high] }, ranking: { window: 30d } }
`,
        'bad',
      );
    expect(bad).toThrow(/teams\.0\.pools\.0\.topTier: topTier counts only in mode "score_tier"/);
    expect(bad).toThrow(/teams\.0\.pools\.0\.ranking: ranking counts only in mode "ranking"/);
  });
});
