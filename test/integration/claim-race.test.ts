import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { type ClaimLeadDeps, claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { AFTER_WIN_WAIT_MS, ProcessClaimLatch } from '../../src/infra/process/claim-latch.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { codeOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';

const REPS = 60;
const rep = (i: number) => `U${String(i).padStart(3, '0')}`;
const config = parseTeamsConfig(
  `teams:
  - id: race
    name: Race
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
${Array.from({ length: REPS }, (_, i) => `      - { name: Rep ${i}, slack: ${rep(i)} }`).join('\n')}
`,
  'race',
);

let testDb: TestDatabase;
let db: Database;
let store: PrismaLeadStore;
const clock = new ManualClock('2026-05-04T08:00:00Z');
const teams = teamDirectory(config.teams);

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 20 });
  await syncTeams(db.prisma, config, clock.now());
  store = new PrismaLeadStore(db.prisma);
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function burst(leadId: number, reps: number[], depsOf: (i: number) => ClaimLeadDeps) {
  const outcomes = await Promise.all(
    reps.map((i) => codeOf(claimLead(depsOf(i), { leadId, actor: slackIdentity(rep(i)) }), () => 'won')),
  );
  const claimed = await db.prisma.leadEvent.count({ where: { leadId, action: 'claimed' } });
  return { outcomes, claimed };
}

const tally = (outcomes: string[]) =>
  Object.fromEntries([...new Set(outcomes)].map((o) => [o, outcomes.filter((x) => x === o).length]));

describe('concurrent claims on one lead, on PostgreSQL', () => {
  it('without the in-process latch, the conditional write alone gives exactly one owner', async () => {
    const id = await createTestLead({ store, teams, clock }, { team: 'race', name: 'No latch' });
    const { outcomes, claimed } = await burst(
      id,
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
      () => ({ store, teams, clock }),
    );
    expect(tally(outcomes)).toEqual({ won: 1, 'lead.already_claimed': 19 });
    expect(claimed).toBe(1);
  });

  it('two instances (two latches) racing: still exactly one owner', async () => {
    const id = await createTestLead({ store, teams, clock }, { team: 'race', name: 'Two latches' });
    const latches = [new ProcessClaimLatch(), new ProcessClaimLatch()];
    const reps = Array.from({ length: 20 }, (_, i) => 20 + i);
    const { outcomes, claimed } = await burst(id, reps, (i) => ({ store, teams, clock, claims: latches[i % 2] }));
    expect(tally(outcomes)).toEqual({ won: 1, 'lead.already_claimed': 19 });
    expect(claimed).toBe(1);
  });

  it('when the claim in flight is refused, the waiting ones go on: one of them wins', async () => {
    const latch = new ProcessClaimLatch();
    const deps = { store, teams, clock, claims: latch };
    // Rep 40 has used the daily quota (1) on another lead, so its claim, first in flight, is refused.
    await claimLead(deps, {
      leadId: await createTestLead(deps, { team: 'race', name: 'Quota used' }),
      actor: slackIdentity(rep(40)),
    });
    const id = await createTestLead(deps, { team: 'race', name: 'After a refusal' });
    const { outcomes, claimed } = await burst(id, [40, 41, 42, 43, 44, 45], () => deps);
    expect(outcomes[0]).toBe('claim.daily_quota');
    expect(tally(outcomes.slice(1))).toEqual({ won: 1, 'lead.already_claimed': 4 });
    expect(claimed).toBe(1);
  });

  it('with the latch, clickers waking together after the winner are refused from one shared read', async () => {
    const latch = new ProcessClaimLatch();
    const reads: number[] = [];
    const counting = Object.create(store) as PrismaLeadStore;
    counting.peekClaims = (leadId, who) => {
      reads.push(who.length);
      return store.peekClaims(leadId, who);
    };
    const deps = { store: counting, teams, clock, claims: latch };
    const id = await createTestLead(deps, { team: 'race', name: 'Shared read' });
    const { outcomes, claimed } = await burst(
      id,
      Array.from({ length: 10 }, (_, i) => 50 + i),
      () => deps,
    );
    expect(tally(outcomes)).toEqual({ won: 1, 'lead.already_claimed': 9 });
    expect(claimed).toBe(1);
    // The first clicker goes straight to its transaction; the nine behind it share one read.
    expect(reads).toEqual([9]);
  });

  it('answers the clicks queued behind the winner only after the winner replaced its card, and at most a second later', async () => {
    const latch = new ProcessClaimLatch();
    const deps = { store, teams, clock, claims: latch };
    const order: string[] = [];
    const answered = (who: number) => () => void order.push(`click ${who}`);
    const id = await createTestLead(deps, { team: 'race', name: 'Card first' });
    const winner = claimLead(deps, { leadId: id, actor: slackIdentity(rep(30)) }, async () => {
      await new Promise((r) => setTimeout(r, 100));
      order.push('card replaced');
    });
    await new Promise((r) => setImmediate(r));
    const losers = [31, 32].map((i) =>
      claimLead(deps, { leadId: id, actor: slackIdentity(rep(i)) }).then(answered(i), answered(i)),
    );
    await Promise.all([winner, ...losers]);
    expect(order).toEqual(['card replaced', 'click 31', 'click 32']);

    // A reply that never comes holds the queue for AFTER_WIN_WAIT_MS only.
    const hung = await createTestLead(deps, { team: 'race', name: 'Hung reply' });
    const started = Date.now();
    void claimLead(deps, { leadId: hung, actor: slackIdentity(rep(33)) }, () => new Promise<void>(() => {}));
    await new Promise((r) => setImmediate(r));
    await expect(claimLead(deps, { leadId: hung, actor: slackIdentity(rep(34)) })).rejects.toMatchObject({
      code: 'lead.already_claimed',
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(AFTER_WIN_WAIT_MS - 50);
    expect(Date.now() - started).toBeLessThan(AFTER_WIN_WAIT_MS + 2_000);
  });
});
