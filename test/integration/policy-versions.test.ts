/**
 * Policy versions on PostgreSQL: a teams file is applied once however many instances start with
 * it at once; an instance starting with a file applied before keeps the newest version; two
 * admins changing the same version at once get one new version, not two.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseTeamsConfig, type TeamsDocument, teamsConfigFrom } from '../../src/config/teams-config.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { PrismaPolicyStore } from '../../src/infra/db/policy.repository.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const yaml = (quota: number) => `teams:
  - id: p
    name: Policy
    timezone: UTC
    claim: { dailyQuota: ${quota}, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1h }
    members:
      - { name: Ann, slack: UANN }
`;
const clock = new ManualClock('2026-11-29T09:00:00Z');
// The shared helper seeds the database by the old path (members only): the versions start empty.
const ctx = useTeamsDatabase(parseTeamsConfig(yaml(5), 'seed'), clock);
const build = (doc: TeamsDocument) => teamsConfigFrom(doc, 'test');
const fileOf = (quota: number) => {
  const doc = parse(yaml(quota)) as TeamsDocument;
  return { doc, hash: `hash-${quota}`, config: build(doc) };
};
const quotaOf = (config: { teams: { dailyClaimQuota: number }[] }) => config.teams[0]?.dailyClaimQuota;

describe('policy versions', () => {
  it('applies a teams file once, however many instances start with it at once', async () => {
    const stores = Array.from({ length: 5 }, () => new PrismaPolicyStore(ctx.db.prisma));
    const started = await Promise.all(stores.map((s) => s.start(fileOf(5), build, clock.now())));
    expect(started.filter((s) => s.applied)).toHaveLength(1);
    expect(started.map((s) => s.version)).toEqual([1, 1, 1, 1, 1]);
    expect(await ctx.db.prisma.policyVersion.count()).toBe(1);
  });

  it('keeps one of two changes made from the same version at once; the other is told it changed meanwhile', async () => {
    const store = new PrismaPolicyStore(ctx.db.prisma);
    const change = (quota: number) => ({
      ...fileOf(quota),
      source: 'chat' as const,
      fileHash: null,
      actorId: null,
      summary: `quota ${quota}`,
    });
    const results = await Promise.all([
      store.commit(1, change(6), clock.now()),
      store.commit(1, change(7), clock.now()),
    ]);
    expect(results.filter((r) => r === 2)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(await store.latestVersion()).toBe(2);
  });

  it('keeps the newest version when an instance starts with a file applied before, and applies a new file', async () => {
    const store = new PrismaPolicyStore(ctx.db.prisma);
    const again = await store.start(fileOf(5), build, clock.now());
    expect(again).toMatchObject({ applied: false, version: 2 });
    expect([6, 7]).toContain(quotaOf(again.config));
    const next = await store.start(fileOf(9), build, clock.now());
    expect(next).toMatchObject({ applied: true, version: 3 });
    expect(quotaOf(next.config)).toBe(9);
    expect((await store.history(5)).map((h) => [h.version, h.source])).toEqual([
      [3, 'file'],
      [2, 'chat'],
      [1, 'file'],
    ]);
  });
});
