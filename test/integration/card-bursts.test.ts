import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { DEFAULT_CARD_BURST } from '../../src/config/teams-schema.js';
import { intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { PrismaLeadPostStore } from '../../src/infra/db/lead-read.repository.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const team = (id: string, burst: string) => `  - id: ${id}
    name: Team ${id}
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    ${burst}`;
const config = parseTeamsConfig(
  `teams:\n${team('b', 'cardBurst: { after: 3, within: 30s }')}\n${team('c', 'cardBurst: { after: 3, within: 30s }')}\n${team('off', 'cardBurst: off')}\n${team('dflt', '')}\n`,
  'bursts',
);
const start = new Date('2026-11-23T08:00:00Z'); // on a 30 s boundary
const clock = new ManualClock(start);
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);

let n = 0;
async function intake(teamId: string | string[], count: number): Promise<number[]> {
  const leads = Array.from({ length: count }, (_, i) => {
    const team = Array.isArray(teamId) ? (teamId[i % teamId.length] as string) : teamId;
    const checked = validateLead({ team, name: `Person ${++n}` }, teams, sourceCatalog());
    if (!checked.ok) throw new Error('invalid');
    return checked.lead;
  });
  const result = await intakeLeads({ store: ctx.store, teams, clock }, leads, 'api');
  if (result.kind !== 'done') throw new Error(result.kind);
  return result.outcomes.map((o) => (o.kind === 'created' ? o.leadId : 0));
}

async function queued(teamId: string) {
  const ids = (await ctx.db.prisma.lead.findMany({ where: { teamId }, select: { id: true } })).map((l) => l.id);
  const rows = await ctx.db.prisma.outboxMessage.findMany({ where: { sink: 'slack' }, orderBy: { id: 'asc' } });
  const mine = rows.filter((r) => {
    const p = r.payload as { leadId?: number; teamId?: string };
    return p.teamId === teamId || (p.leadId !== undefined && ids.includes(p.leadId));
  });
  return {
    cards: mine.filter((r) => r.kind === 'lead.card').map((r) => (r.payload as { leadId: number }).leadId),
    bursts: mine.filter((r) => r.kind === 'lead.burst'),
  };
}

const burstIdOf = (row: { payload: unknown } | undefined) =>
  (row?.payload as { burstId?: number } | undefined)?.burstId;

const burstOf = async (ids: number[]) =>
  (await ctx.db.prisma.lead.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })).map((l) => l.cardBurstId);

describe('new-lead cards in a burst', () => {
  it('gives the first leads of a window a card each and gathers the rest into one summary, sent once the burst pauses', async () => {
    clock.set(new Date(start.getTime() + 5_000));
    const first = await intake('b', 2);
    const second = await intake('b', 5);
    const { cards, bursts } = await queued('b');
    expect(cards).toEqual([...first, second[0]]);
    expect(bursts).toHaveLength(1);
    const burst = bursts[0];
    // 5 s after the last lead that joined it, unless the window (30 s) ends first.
    expect(burst?.availableAt.toISOString()).toBe('2026-11-23T08:00:10.000Z');
    const burstId = burstIdOf(burst);
    expect(await burstOf([...first, ...second])).toEqual([null, null, null, ...Array(4).fill(burstId)]);

    // More in the same window join the summary; nothing more is queued for them.
    clock.set(new Date(start.getTime() + 29_000));
    const third = await intake('b', 2);
    expect(await queued('b')).toMatchObject({ cards, bursts: [{ id: burst?.id }] });
    expect(await burstOf(third)).toEqual([burstId, burstId]);
    // They moved its send time on, to the window's end (sooner than 5 s after them).
    expect((await queued('b')).bursts[0]?.availableAt.toISOString()).toBe('2026-11-23T08:00:30.000Z');

    // Once its summary has gone out (the burst paused), the window's later leads gather into a
    // next summary, not a card each.
    const posts = new PrismaLeadPostStore(ctx.db.prisma);
    expect(await posts.sealBurst(burstId ?? 0)).toEqual([...second.slice(1), ...third]);
    const late = await intake('b', 2);
    const afterSeal = await queued('b');
    expect(afterSeal.cards).toEqual(cards);
    expect(afterSeal.bursts).toHaveLength(2);
    const followUp = burstIdOf(afterSeal.bursts[1]);
    expect(followUp).not.toBe(burstId);
    expect(await burstOf(late)).toEqual([followUp, followUp]);

    // The next window starts counting again.
    clock.set(new Date(start.getTime() + 31_000));
    const next = await intake('b', 4);
    const after = await queued('b');
    expect(after.cards.slice(-3)).toEqual(next.slice(0, 3));
    expect(after.bursts).toHaveLength(3);
  });

  it('counts concurrent intakes of one team exactly: `after` cards, one summary, the rest in it', async () => {
    clock.set(new Date(start.getTime() + 60_000));
    const ids = (await Promise.all(Array.from({ length: 24 }, () => intake('c', 1)))).flat();
    const { cards, bursts } = await queued('c');
    expect(cards).toHaveLength(3);
    expect(bursts).toHaveLength(1);
    const burstId = burstIdOf(bursts[0]);
    const gathered = (await burstOf(ids)).filter((b) => b === burstId);
    expect(gathered).toHaveLength(21);
    expect(new Set([...cards, ...ids]).size).toBe(24);
    const counter = await ctx.db.prisma.cardBurst.findUniqueOrThrow({ where: { id: burstId } });
    expect(counter.cards).toBe(24);
  });

  it('gives every lead a card when the team turns summaries off, and summarises after five a half-minute by default', async () => {
    clock.set(new Date(start.getTime() + 120_000));
    const off = await intake('off', 12);
    expect((await queued('off')).cards).toEqual(off);
    expect((await queued('off')).bursts).toHaveLength(0);
    expect(DEFAULT_CARD_BURST).toEqual({ after: 5, withinMs: 30_000 });
    expect(teams.find('dflt')?.cardBurst).toEqual(DEFAULT_CARD_BURST);
    await intake('dflt', 8);
    expect((await queued('dflt')).cards).toHaveLength(5);
    expect((await queued('dflt')).bursts).toHaveLength(1);
  });

  it('queues the cards of a batch for several teams in the order the leads came, so channels go side by side', async () => {
    clock.set(new Date(start.getTime() + 200_000));
    const ids = await intake(['off', 'dflt'], 6);
    const rows = await ctx.db.prisma.outboxMessage.findMany({
      where: { sink: 'slack', kind: 'lead.card' },
      orderBy: { id: 'asc' },
    });
    const queuedIds = rows.map((r) => (r.payload as { leadId: number }).leadId).filter((id) => ids.includes(id));
    expect(queuedIds).toEqual(ids);
  });

  it('forgets the counts of windows a day old that had no summary, and keeps those with one', async () => {
    const { housekeepingJob, CARD_COUNTER_KEEP_MS } = await import('../../src/jobs/housekeeping.job.js');
    const { createLogger } = await import('../../src/infra/logger.js');
    clock.set(new Date(start.getTime() + 300_000));
    await intake('b', 2); // a quiet window: counted, no summary
    const before = await ctx.db.prisma.cardBurst.findMany({ include: { _count: { select: { leads: true } } } });
    const withSummary = before.filter((b) => b._count.leads > 0).map((b) => b.id);
    expect(withSummary.length).toBeGreaterThan(0);
    expect(before.length).toBeGreaterThan(withSummary.length);
    const later = new ManualClock(new Date(start.getTime() + CARD_COUNTER_KEEP_MS + 3_600_000));
    const job = housekeepingJob(
      {
        purgeIdempotencyKeys: async () => 0,
        purgeSentOutbox: async () => 0,
        purgeCardCounters: (b) => ctx.store.purgeCardCounters(b),
        clock: later,
      },
      createLogger('error'),
    );
    await job.run();
    const left = (await ctx.db.prisma.cardBurst.findMany()).map((b) => b.id);
    expect(left.sort()).toEqual(withSummary.sort());
  });
});
