import type { DeadLetter, DeadLetterBox } from '../../domain/notifications/dead-letters.js';
import { type Notification, notificationSchema } from '../../domain/notifications/notification.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { prismaSql, type SqlRunner } from './sql.js';

export interface LeasedMessage {
  id: bigint;
  attempts: number;
  notification: Notification;
  /** A later unsent message of the same kind and order key exists. */
  superseded: boolean;
  createdAt: Date;
}

export class OutboxRepository {
  private readonly sql: SqlRunner;

  constructor(
    private readonly prisma: PrismaClient,
    /** Every delivery's lease and outcome go here: without the ORM where given (see SqlRunner). */
    sql?: SqlRunner,
  ) {
    this.sql = sql ?? prismaSql(prisma);
  }

  /**
   * Leases one messenger's oldest pending message of each order key (one subject's messages go out
   * in order), skipping rows another instance holds. The lease expires, so a crashed sender's rows
   * come back. Other messengers' rows are never looked at: their failures cannot hold these back.
   * DMs first, then in the order messages became ready: a burst's cards, put off to their channel's
   * turns, do not go before a card queued meanwhile for another channel.
   */
  async lease(
    sink: string,
    now: Date,
    leaseMs: number,
    limit: number,
    /** Messages this sender is still working on (their lease may have run out meanwhile): never leased twice. */
    busy: readonly bigint[] = [],
  ): Promise<LeasedMessage[]> {
    const until = new Date(now.getTime() + leaseMs);
    // The driver gives a bigint as text, the ORM as a bigint: BigInt() takes both.
    const rows = await this.sql<{
      id: bigint | string;
      attempts: number;
      payload: unknown;
      superseded: boolean;
      created_at: Date;
    }>(Prisma.sql`
      WITH heads AS (
        SELECT DISTINCT ON (order_key) id FROM outbox_message
         WHERE sink = ${sink} AND sent_at IS NULL AND dead_at IS NULL
         ORDER BY order_key, id
      ), ready AS (
        SELECT m.id FROM outbox_message m JOIN heads h ON h.id = m.id
         WHERE m.available_at <= ${now} AND (m.locked_until IS NULL OR m.locked_until <= ${now})
           AND m.id <> ALL(${busy.map(String)}::bigint[])
         ORDER BY m.kind = 'member.dm' DESC, m.available_at, m.id LIMIT ${limit}
         FOR UPDATE OF m SKIP LOCKED
      )
      UPDATE outbox_message o SET locked_until = ${until}, attempts = o.attempts + 1
        FROM ready WHERE o.id = ready.id
      RETURNING o.id, o.attempts, o.payload, o.created_at,
        EXISTS (SELECT 1 FROM outbox_message later
                 WHERE later.sink = o.sink AND later.sent_at IS NULL AND later.order_key = o.order_key
                   AND later.kind = o.kind AND later.id > o.id
                   AND later.dead_at IS NULL) AS superseded`);
    const leased: LeasedMessage[] = [];
    for (const row of rows) {
      const parsed = notificationSchema.safeParse(row.payload);
      if (parsed.success)
        leased.push({
          id: BigInt(row.id),
          attempts: row.attempts,
          notification: parsed.data,
          superseded: row.superseded,
          createdAt: row.created_at,
        });
      // Retrying cannot make an unreadable row readable: it is set aside at once, for a person to look at.
      else
        await this.markFailed(
          BigInt(row.id),
          `unreadable payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
          null,
          now,
        );
    }
    return leased.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Keeps the lease of messages still being worked on, so no other sender takes them meanwhile. */
  async renewLeases(ids: readonly bigint[], until: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.sql(Prisma.sql`
      UPDATE outbox_message SET locked_until = ${until}
       WHERE id = ANY(${ids.map(String)}::bigint[]) AND sent_at IS NULL AND dead_at IS NULL`);
  }

  /**
   * Gives back the leases of messages this sender will not finish (it is shutting down): another
   * sender takes them at once. The attempt stays counted, so the next one looks for the post first.
   */
  async releaseLeases(ids: readonly bigint[]): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.$executeRaw`
      UPDATE outbox_message SET locked_until = NULL
       WHERE id = ANY(${ids.map(String)}::bigint[]) AND sent_at IS NULL AND dead_at IS NULL`;
  }

  async markSent(ids: bigint[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.sql(Prisma.sql`
      UPDATE outbox_message SET sent_at = ${at}, locked_until = NULL, last_error = NULL
       WHERE id = ANY(${ids.map(String)}::bigint[])`);
  }

  /** Back to the queue at `at`, the attempt not counted: the destination asked to wait. */
  async markDeferred(id: bigint, at: Date): Promise<void> {
    await this.sql(Prisma.sql`
      UPDATE outbox_message SET available_at = ${at}, locked_until = NULL, attempts = greatest(attempts - 1, 0)
       WHERE id = ${String(id)}::bigint`);
  }

  /**
   * Brings one sink's waiting messages forward to `at`: those put off (a destination that asked to
   * wait, such as a workspace not installed yet), not those backing off after a failure.
   */
  async wakeWaiting(sink: string, at: Date): Promise<number> {
    return this.prisma.$executeRaw`
      UPDATE outbox_message SET available_at = ${at}
       WHERE sink = ${sink} AND sent_at IS NULL AND dead_at IS NULL AND last_error IS NULL
         AND available_at > ${at} AND (locked_until IS NULL OR locked_until < ${at})`;
  }

  async markFailed(id: bigint, error: string, retryAt: Date | null, at: Date): Promise<void> {
    await this.prisma.outboxMessage.update({
      where: { id },
      data: retryAt
        ? { lastError: error.slice(0, 500), availableAt: retryAt, lockedUntil: null }
        : { lastError: error.slice(0, 500), deadAt: at, lockedUntil: null },
    });
  }

  /** Messages waiting to be sent (due now or later), and given up on. */
  async health(): Promise<{ pending: number; dead: number }> {
    const [row] = await this.prisma.$queryRaw<{ pending: bigint; dead: bigint }[]>`
      SELECT count(*) FILTER (WHERE dead_at IS NULL) AS pending, count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead
        FROM outbox_message WHERE sent_at IS NULL`;
    return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0) };
  }

  /** Undelivered messages per messenger, and the age of the oldest, for the metrics. */
  async depth(): Promise<{ messenger: string; pending: number; oldestSeconds: number }[]> {
    const rows = await this.prisma.$queryRaw<{ sink: string; pending: bigint; oldest: number }[]>`
      SELECT sink, count(*) AS pending, extract(epoch FROM now() - min(created_at))::float8 AS oldest
        FROM outbox_message WHERE sent_at IS NULL AND dead_at IS NULL GROUP BY sink`;
    return rows.map((r) => ({ messenger: r.sink, pending: Number(r.pending), oldestSeconds: Math.max(0, r.oldest) }));
  }

  /**
   * Forgets one sink's messages not delivered yet: for a messenger that is gone for good (the
   * playground, turned off, shows nothing later that these would bring). Returns how many.
   */
  async dropUndelivered(sink: string): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM outbox_message WHERE sink = ${sink} AND sent_at IS NULL`;
  }

  /** Forgets messages delivered before `before`; unsent and given-up ones stay. Returns how many. */
  async purgeSent(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM outbox_message WHERE sent_at < ${before}`;
  }
}

/** The given-up messages, for admins to see and send again. */
export class PrismaDeadLetterBox implements DeadLetterBox {
  constructor(private readonly prisma: PrismaClient) {}

  count(): Promise<number> {
    return this.prisma.outboxMessage.count({ where: { deadAt: { not: null }, sentAt: null } });
  }

  async latest(limit: number): Promise<DeadLetter[]> {
    const rows = await this.prisma.outboxMessage.findMany({
      where: { deadAt: { not: null }, sentAt: null },
      orderBy: { deadAt: 'desc' },
      take: limit,
    });
    return rows.map((r) => ({
      id: r.id.toString(),
      messenger: r.sink,
      kind: r.kind,
      attempts: r.attempts,
      failedAt: r.deadAt as Date,
      error: r.lastError ?? '',
    }));
  }

  async retry(ids: readonly string[] | 'all', at: Date): Promise<number> {
    const chosen = ids === 'all' ? {} : { id: { in: ids.filter((id) => /^\d{1,18}$/.test(id)).map(BigInt) } };
    const { count } = await this.prisma.outboxMessage.updateMany({
      where: { deadAt: { not: null }, sentAt: null, ...chosen },
      data: { deadAt: null, attempts: 0, availableAt: at, lockedUntil: null },
    });
    return count;
  }
}
