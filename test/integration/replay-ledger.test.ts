/**
 * The replay ledger writes the sightings of one event-loop turn in one INSERT: each request is
 * still seen first exactly once, by one caller, however the burst lands.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaReplayLedger } from '../../src/infra/db/replay-ledger.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let scratch: TestDatabase;
let db: Database;
const at = new Date('2026-11-29T09:00:00Z');

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = await openDatabase({ url: scratch.url, dataDir: '', poolSize: 4 });
});
afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

describe('replay ledger', () => {
  it('sees each of a burst of 200 requests first exactly once, in a few round trips', async () => {
    const ledger = new PrismaReplayLedger(db.prisma);
    const keys = Array.from({ length: 200 }, (_, i) => `burst-${i}`);
    const first = await Promise.all(keys.map((k) => ledger.claim('test', k, at)));
    expect(first.every(Boolean)).toBe(true);
    const again = await Promise.all(keys.map((k) => ledger.claim('test', k, at)));
    expect(again.some(Boolean)).toBe(false);
    const rows = await db.prisma.idempotencyKey.count({ where: { scope: 'test', key: { startsWith: 'burst-' } } });
    expect(rows).toBe(200);
  });

  it('gives the same request asked twice in one turn to the first caller only', async () => {
    const ledger = new PrismaReplayLedger(db.prisma);
    const answers = await Promise.all([
      ledger.claim('test', 'twice', at),
      ledger.claim('other', 'twice', at),
      ledger.claim('test', 'twice', at),
    ]);
    expect(answers).toEqual([true, true, false]);
  });

  it('lets two ledgers (two instances) racing on the same requests see each first once', async () => {
    const a = new PrismaReplayLedger(db.prisma);
    const b = new PrismaReplayLedger(db.prisma);
    const keys = Array.from({ length: 50 }, (_, i) => `race-${i}`);
    const answers = await Promise.all(keys.flatMap((k) => [a.claim('test', k, at), b.claim('test', k, at)]));
    for (let i = 0; i < keys.length; i++) expect([answers[2 * i], answers[2 * i + 1]].filter(Boolean)).toHaveLength(1);
  });
});
