/**
 * The shared pace book in the database, booked by three connection pools at once as three
 * instances would: slots are taken one after another with none shared, a refusal books nothing
 * and sends each one told to wait a slot after the last, and a hold is seen by every pool. On the
 * embedded database too, the same statements.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { SqlPaceBook } from '../../src/infra/db/send-pace.repository.js';
import { MAX_BACKLOG_MS } from '../../src/infra/pacing/pace-book.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let scratch: TestDatabase;
const instances: Database[] = [];
let embedded: Database;

beforeAll(async () => {
  scratch = await createTestDatabase();
  for (let i = 0; i < 3; i++) instances.push(await openDatabase({ url: scratch.url, dataDir: '', poolSize: 8 }));
  embedded = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
});

afterAll(async () => {
  for (const db of instances) await db.close();
  await embedded?.close();
  await scratch?.drop();
});

const books = () => instances.map((db) => new SqlPaceBook(db.prisma));

describe('the pace book in PostgreSQL', () => {
  it('gives 60 concurrent bookings from three instances 60 different slots, one interval apart', async () => {
    const interval = 50;
    const requests = books().flatMap((book) =>
      Array.from({ length: 20 }, () => book.book('slack:C1', { intervalMs: interval }, 60_000)),
    );
    const bookings = await Promise.all(requests);
    expect(bookings.every((b) => b.booked)).toBe(true);
    // Each statement's wait is measured from its own start: sorted, consecutive ones are an interval
    // apart less the little time between the statements.
    const waits = bookings.map((b) => b.waitMs).sort((a, b) => a - b);
    expect(waits[0]).toBeLessThan(interval);
    expect((waits.at(-1) as number) - (waits[0] as number)).toBeGreaterThan(59 * interval - 1_000);
    const [row] = await (instances[0] as Database).prisma.$queryRaw<{ ahead_ms: number }[]>`
      SELECT (extract(epoch FROM tat - now()) * 1000)::float8 AS ahead_ms FROM send_pace WHERE key = 'slack:C1'`;
    expect(row?.ahead_ms).toBeGreaterThan(59 * interval - 1_000);
    expect(row?.ahead_ms).toBeLessThanOrEqual(60 * interval);
  });

  it('books nothing past the wait allowed, and spreads the ones told to wait a slot apart', async () => {
    const [a, b] = books() as [SqlPaceBook, SqlPaceBook];
    expect(await a.book('lark:chat', { intervalMs: 1000 }, 0)).toEqual({ booked: true, waitMs: 0 });
    const firstAt = performance.now();
    const told = await Promise.all([a, b, a, b].map((book) => book.book('lark:chat', { intervalMs: 1000 }, 100)));
    expect(told.every((t) => !t.booked && t.reason === 'paced')).toBe(true);
    const waits = told.map((t) => t.waitMs).sort((x, y) => x - y);
    for (let i = 1; i < waits.length; i++) expect((waits[i] as number) - (waits[i - 1] as number)).toBeGreaterThan(900);
    // Nothing was booked by them: the next slot is still a second after the first (less the time gone since).
    const next = await a.book('lark:chat', { intervalMs: 1000 }, 5_000);
    expect(next.booked).toBe(true);
    expect(next.waitMs).toBeGreaterThan(1000 - (performance.now() - firstAt) - 50);
  });

  it('sends none of many told to wait further than the bound past the next free slot', async () => {
    const [a, b] = books() as [SqlPaceBook, SqlPaceBook];
    expect((await a.book('lark:busy', { intervalMs: 1000 }, 0)).booked).toBe(true);
    const many = await Promise.all(
      Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).book('lark:busy', { intervalMs: 1000 }, 100)),
    );
    expect(many.every((t) => !t.booked)).toBe(true);
    expect(Math.max(...many.map((t) => t.waitMs))).toBeLessThanOrEqual(1000 + MAX_BACKLOG_MS);
    expect(Math.max(...many.map((t) => t.waitMs))).toBeGreaterThan(MAX_BACKLOG_MS - 1000);
  });

  it("holds a key for every instance, edits included, and not the others' keys", async () => {
    const [a, b, c] = books() as [SqlPaceBook, SqlPaceBook, SqlPaceBook];
    await a.hold('slack:C9', 3_000);
    expect(await b.book('slack:C9', { intervalMs: 100 }, 1_000)).toMatchObject({ booked: false, reason: 'held' });
    const edit = await c.book('slack:C9', null, 0);
    expect(edit.booked).toBe(false);
    expect(edit.waitMs).toBeGreaterThan(2_000);
    expect(await c.book('slack:C10', null, 0)).toEqual({ booked: true, waitMs: 0 });
    // A shorter hold never shortens a longer one.
    await b.hold('slack:C9', 10);
    expect((await c.book('slack:C9', null, 0)).booked).toBe(false);
  });

  it('works the same on the embedded database', async () => {
    const book = new SqlPaceBook(embedded.prisma);
    const first = await book.book('slack:E1', { intervalMs: 200 }, 1_000);
    const second = await book.book('slack:E1', { intervalMs: 200 }, 1_000);
    expect(first).toEqual({ booked: true, waitMs: 0 });
    expect(second.booked && second.waitMs).toBeGreaterThan(150);
    expect(await book.book('slack:E1', { intervalMs: 200 }, 0)).toMatchObject({ booked: false, reason: 'paced' });
    await book.hold('slack:E1', 1_000);
    expect(await book.book('slack:E1', null, 0)).toMatchObject({ booked: false, reason: 'held' });
    expect(await book.purgeIdle(0)).toBe(0);
  });
});
