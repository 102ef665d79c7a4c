import { afterAll, beforeAll } from 'vitest';
import type { TeamsConfig } from '../../src/config/teams-config.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** A fresh PostgreSQL database with these teams, for one test file: `db` and `store` are set in beforeAll. */
export function useTeamsDatabase(
  config: TeamsConfig,
  clock: Clock,
): { db: Database; store: PrismaLeadStore; scratch: TestDatabase } {
  const ctx = {} as { db: Database; store: PrismaLeadStore; scratch: TestDatabase };
  beforeAll(async () => {
    ctx.scratch = await createTestDatabase();
    ctx.db = await openDatabase({ url: ctx.scratch.url, dataDir: '', poolSize: 5 });
    await syncTeams(ctx.db.prisma, config, clock.now());
    // As the app builds it: intake's transactions on the driver.
    ctx.store = new PrismaLeadStore(ctx.db.prisma, {
      sql: ctx.db.sql,
      ...(ctx.db.transaction ? { transaction: ctx.db.transaction } : {}),
    });
  });
  afterAll(async () => {
    await ctx.db?.close();
    await ctx.scratch?.drop();
  });
  return ctx;
}

/** The DMs queued for Slack about one lead, oldest first: their topics and params. */
export async function dmsAbout(
  db: Database,
  leadId: number,
): Promise<{ topic: string; params: Record<string, string>; memberId: string }[]> {
  const rows = await db.prisma.outboxMessage.findMany({
    where: { kind: 'member.dm', sink: 'slack' },
    orderBy: { id: 'asc' },
  });
  return rows
    .map((m) => m.payload as { leadId: number; topic: string; params: Record<string, string>; memberId: string })
    .filter((p) => p.leadId === leadId);
}
