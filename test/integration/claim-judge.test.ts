/**
 * One judge for what a rep may claim: over random policies (pools and their modes and rules,
 * first looks, every limit, pauses) and random states (claims made, cooldowns, leads waiting in
 * pools that assign), on PostgreSQL, for every rep and every pooled lead, "offered by /lead open"
 * equals "/lead why says you may", and a click now wins exactly then, refused with the reason
 * `/lead why` gave.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { listClaimable } from '../../src/domain/claims/claimable.js';
import { explainLead } from '../../src/domain/distribution/explain-lead.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { pauseMember } from '../../src/domain/members/availability.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { Rng } from '../fuzz/generators.js';
import { createTestLead, GOOD_LEAD_FIELDS } from '../support/fixtures.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const SEED = Number(process.env.JUDGE_SEED ?? 20261206);
const WORLDS = 12;
const REPS = 4;
const rng = new Rng(SEED);
const repName = (w: number, r: number) => `Rep ${w}-${r}`;
const repId = (w: number, r: number) => `UW${w}R${r}`;

/** A team with a random policy: its limits, pools (claim or assigning), first looks and daily caps. */
function randomTeam(w: number): string {
  const reps = Array.from({ length: REPS }, (_, r) => repName(w, r));
  const limit = (min: number, max: number) => min + rng.int(max - min + 1);
  const pools: string[] = [];
  for (const region of ['A', 'B']) {
    if (!rng.chance(0.6)) continue;
    const members = rng.chance(0.5) ? `, members: [${reps.filter(() => rng.chance(0.6)).join(', ') || reps[0]}]` : '';
    const mode = rng.chance(0.3) ? 'round_robin' : 'claim';
    const first = rng.chance(0.5)
      ? `, firstTo: { members: [${reps[rng.int(REPS)]}], grades: [poor, medium, good], for: ${limit(5, 40)}m }`
      : '';
    const daily = rng.chance(0.4) ? `, dailyLimit: ${limit(1, 3)}` : '';
    pools.push(
      `      - { id: p${region.toLowerCase()}, match: { region: [${region}] }, mode: ${mode}${members}${first}${daily} }`,
    );
  }
  if (pools.length > 0) pools.push('      - { id: rest }');
  const teamDaily = rng.chance(0.4) ? `\n    teamDailyLimit: ${limit(1, 4)}` : '';
  const own = rng.chance(0.3) ? `, dailyQuota: ${limit(0, 2)}` : '';
  return `  - id: w${w}
    name: World ${w}
    timezone: Asia/Shanghai
    claim: { dailyQuota: ${limit(1, 4)}, holdingCap: ${limit(1, 4)}, cooldown: 1h }${teamDaily}
    sla: { followUp: 1d }
    cardBurst: off
    members:
${reps.map((name, r) => `      - { name: ${name}, slack: ${repId(w, r)}${r === 1 ? own : ''} }`).join('\n')}
      - { name: Manager ${w}, slack: UW${w}M, role: manager }
${pools.length > 0 ? `    pools:\n${pools.join('\n')}\n` : ''}`;
}

const config = parseTeamsConfig(`teams:\n${Array.from({ length: WORLDS }, (_, w) => randomTeam(w)).join('')}`, 'judge');
const clock = new ManualClock('2026-11-23T02:00:00Z');
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);
const deps = () => ({
  store: ctx.store,
  teams,
  clock,
  sources: sourceCatalog(),
  leads: new PrismaLeadReadModel(ctx.db.prisma),
});

const codeOfError = (error: unknown) => (isDomainError(error) ? error.code : `unexpected: ${String(error)}`);

/** The world's pooled leads, and for each rep what the list offers and what /lead why says. */
async function judgeWorld(w: number) {
  const pooled = (await ctx.db.prisma.lead.findMany({ where: { teamId: `w${w}`, status: 'pooled' } })).map((l) => l.id);
  const views: { rep: number; lead: number; offered: boolean; why: string | null }[] = [];
  for (let r = 0; r < REPS; r++) {
    const offered = new Set((await listClaimable(deps(), slack(repId(w, r)), 500))[0]?.leads.map((l) => l.id) ?? []);
    for (const lead of pooled) {
      const why = (await explainLead(deps(), { leadId: lead, actor: slack(repId(w, r)) })).claim;
      views.push({
        rep: r,
        lead,
        offered: offered.has(lead),
        why: why?.allowed ? null : (why?.refusal.code ?? 'none'),
      });
    }
  }
  return views;
}

describe('one judge for the list, the answer and the click', () => {
  it('agrees for every rep and every pooled lead, over random policies and states', async () => {
    // A random state: leads of every pool and grade, some older than their first look.
    for (let w = 0; w < WORLDS; w++) {
      for (let i = 0; i < 8; i++) {
        clock.set(new Date(Date.parse('2026-11-23T02:00:00Z') - rng.int(50) * 60_000));
        // A good lead has most fields; each its own person, so nothing merges.
        const own = {
          company: `Co ${w}-${i}`,
          email: `p${w}x${i}@c${w}.example`,
          phone: `+86 139 ${String(w * 100 + i).padStart(8, '0')}`,
        };
        const fields = rng.chance(0.4) ? { ...GOOD_LEAD_FIELDS, ...own } : { company: own.company };
        await createTestLead(deps(), {
          team: `w${w}`,
          name: `Lead ${w}-${i}`,
          ...fields,
          region: rng.pick(['A', 'B', 'C']),
        });
      }
    }
    clock.set(new Date('2026-11-23T02:00:00Z'));
    // Claims made today, pauses and cooldowns.
    for (let w = 0; w < WORLDS; w++) {
      const leads = await ctx.db.prisma.lead.findMany({ where: { teamId: `w${w}` }, orderBy: { id: 'asc' } });
      for (let k = 0; k < 4; k++) {
        const lead = rng.pick(leads);
        await claimLead(deps(), { leadId: lead.id, actor: slack(repId(w, rng.int(REPS))) }).catch(() => undefined);
      }
      if (rng.chance(0.5)) await pauseMember(deps(), { actor: slack(repId(w, rng.int(REPS))), until: 'tomorrow 9:00' });
      const member = await ctx.db.prisma.member.findFirstOrThrow({
        where: { teamId: `w${w}`, displayName: repName(w, 2) },
      });
      const banned = rng.pick(leads);
      await ctx.db.prisma.claimBan.create({
        data: { leadId: banned.id, memberId: member.id, until: new Date(clock.now().getTime() + 30 * 60_000) },
      });
    }

    let pairs = 0;
    let offered = 0;
    let clicks = 0;
    const refusals = new Map<string, number>();
    for (let w = 0; w < WORLDS; w++) {
      for (let round = 0; round < 4; round++) {
        const views = await judgeWorld(w);
        for (const v of views) {
          pairs++;
          if (v.offered) offered++;
          // Offered in the list exactly when /lead why says the rep may claim it.
          expect(v.offered, `world ${w}, rep ${v.rep}, L-${v.lead}: why says ${v.why}`).toBe(v.why === null);
        }
        if (views.length === 0) break;
        // A click now wins exactly then, and is refused with the reason /lead why gave.
        const pick = rng.pick(views);
        const clicked = await claimLead(deps(), { leadId: pick.lead, actor: slack(repId(w, pick.rep)) }).then(
          () => null,
          codeOfError,
        );
        clicks++;
        expect(clicked, `world ${w}, rep ${pick.rep}, L-${pick.lead}`).toBe(pick.why);
        if (clicked) refusals.set(clicked, (refusals.get(clicked) ?? 0) + 1);
        clock.set(new Date(clock.now().getTime() + rng.int(20) * 60_000));
      }
    }
    console.log(
      `judge (seed ${SEED}): ${pairs} rep × lead pairs judged alike by list and why (${offered} offered), ` +
        `${clicks} clicks agreed; refusals seen: ${[...refusals].map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
    expect(clicks).toBeGreaterThan(WORLDS * 2);
    // The state was varied enough to reach the refusals the judge knows.
    const reasons = new Set(
      (await Promise.all(Array.from({ length: WORLDS }, (_, w) => judgeWorld(w)))).flat().map((v) => v.why),
    );
    expect(reasons.size).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
