import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { type Booking, MAX_BACKLOG_MS, type PaceBook, type PaceRule } from '../pacing/pace-book.js';
import { prismaSql, type SqlRunner } from './sql.js';

/**
 * The pace book in the database (`send_pace`), shared by every instance on it: a booking is one
 * statement on the key's row, so concurrent instances take the slots one after another. Times are
 * the database's own clock, the one clock all instances share.
 */
export class SqlPaceBook implements PaceBook {
  private readonly sql: SqlRunner;

  constructor(
    private readonly prisma: PrismaClient,
    /** Every send books here: without the ORM where given (see SqlRunner). */
    sql?: SqlRunner,
  ) {
    this.sql = sql ?? prismaSql(prisma);
  }

  async book(key: string, rule: PaceRule | null, maxWaitMs: number): Promise<Booking> {
    const interval = rule?.intervalMs ?? 0;
    const burst = rule?.burstMs ?? 0;
    // Times are kept to the millisecond (waits are rounded to it). A slot is booked only when it is free now and within the wait: the row's update is skipped otherwise.
    const [booked] = rule
      ? await this.sql<{ wait_ms: number }>(Prisma.sql`
          INSERT INTO send_pace AS p (key, tat, held_until, backlog_until)
          VALUES (${key}, now() + make_interval(secs => ${interval / 1000}), '-infinity', '-infinity')
          ON CONFLICT (key) DO UPDATE
             SET tat = greatest(p.tat, now()) + make_interval(secs => ${interval / 1000})
           WHERE p.held_until <= now()
             AND p.tat - make_interval(secs => ${burst / 1000}) <= now() + make_interval(secs => ${maxWaitMs / 1000})
          RETURNING greatest(0, round(extract(epoch FROM
            p.tat - make_interval(secs => ${(interval + burst) / 1000}) - now()) * 1000))::float8 AS wait_ms`)
      : await this.sql<{ wait_ms: number }>(Prisma.sql`
          SELECT 0::float8 AS wait_ms WHERE NOT EXISTS (
            SELECT 1 FROM send_pace WHERE key = ${key} AND held_until > now())`);
    if (booked) return { booked: true, waitMs: booked.wait_ms };
    return this.later(key, interval, rule ? burst : null);
  }

  /** Told to wait: each one told so comes back a slot after the one before (see MemoryPaceBook). */
  private async later(key: string, interval: number, burst: number | null): Promise<Booking> {
    const [row] = await this.sql<{ wait_ms: number; held: boolean }>(Prisma.sql`
      WITH before AS (
        SELECT key, held_until > now() AS held,
               greatest(held_until, now(), next_at,
                        least(backlog_until, greatest(next_at, now()) + make_interval(secs => ${MAX_BACKLOG_MS / 1000}))) AS from_at
          FROM (SELECT key, held_until, backlog_until,
                       CASE WHEN ${burst}::float8 IS NULL THEN '-infinity'::timestamptz
                            ELSE tat - make_interval(secs => coalesce(${burst}::float8, 0) / 1000) END AS next_at
                  FROM send_pace WHERE key = ${key} FOR UPDATE) slots
      )
      UPDATE send_pace p SET backlog_until = before.from_at + make_interval(secs => ${interval / 1000})
        FROM before WHERE p.key = before.key
      RETURNING greatest(1, round(extract(epoch FROM before.from_at - now()) * 1000))::float8 AS wait_ms, before.held`);
    // The row is gone only if it was just purged: try again in a moment.
    if (!row) return { booked: false, waitMs: Math.max(1, interval), reason: 'paced' };
    return { booked: false, waitMs: row.wait_ms, reason: row.held ? 'held' : 'paced' };
  }

  async hold(key: string, ms: number): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO send_pace AS p (key, tat, held_until, backlog_until)
      VALUES (${key}, now(), now() + make_interval(secs => ${ms / 1000}), '-infinity')
      ON CONFLICT (key) DO UPDATE SET held_until = greatest(p.held_until, excluded.held_until)`;
  }

  /** Rows whose slots are all long past hold nothing: the housekeeping job forgets them. */
  async purgeIdle(olderThanMs = 3_600_000): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM send_pace
       WHERE greatest(tat, held_until, backlog_until) < now() - make_interval(secs => ${olderThanMs / 1000})`;
  }
}
