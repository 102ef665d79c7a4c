import type { StoredResponse } from '../../domain/intake/intake-store.js';
import type { ReplayLedger } from '../../domain/shared/replay-ledger.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

interface Sighting {
  id: string;
  scope: string;
  key: string;
  at: Date;
}

/**
 * Remembers inbound platform requests (in the idempotency-key table, pruned by housekeeping) so a
 * replayed or redelivered request is answered from the first one instead of running again.
 */
export class PrismaReplayLedger implements ReplayLedger {
  private batch: { asked: Sighting[]; answers: Promise<Set<string>> } | null = null;

  constructor(private readonly prisma: PrismaClient) {}

  /**
   * Sightings asked for in the same turn of the event loop are written in one INSERT: a burst of
   * 200 clicks is a few round trips, not 200 queued on the connection pool ahead of the claims.
   */
  async claim(scope: string, key: string, at: Date): Promise<boolean> {
    let batch = this.batch;
    if (!batch) {
      const asked: Sighting[] = [];
      const answers = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.batch = null;
        return this.insertNew(asked);
      });
      batch = { asked, answers };
      this.batch = batch;
    }
    const id = JSON.stringify([scope, key]);
    // The same request twice in one batch: the first is the sighting, the other a repeat.
    const first = !batch.asked.some((s) => s.id === id);
    batch.asked.push({ id, scope, key, at });
    const inserted = await batch.answers;
    return first && inserted.has(id);
  }

  private async insertNew(asked: readonly Sighting[]): Promise<Set<string>> {
    const rows = await this.prisma.$queryRaw<{ scope: string; key: string }[]>`
      INSERT INTO idempotency_key (scope, key, request_hash, created_at)
      SELECT s, k, '', a FROM unnest(${asked.map((s) => s.scope)}::text[], ${asked.map((s) => s.key)}::text[],
                                     ${asked.map((s) => s.at)}::timestamptz[]) AS t(s, k, a)
      ON CONFLICT DO NOTHING RETURNING scope, key`;
    return new Set(rows.map((r) => JSON.stringify([r.scope, r.key])));
  }

  async answer(scope: string, key: string): Promise<StoredResponse | null> {
    const row = await this.prisma.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
    if (!row || row.statusCode === null) return null;
    return { status: row.statusCode, body: row.response ?? null };
  }

  async save(scope: string, key: string, answer: StoredResponse): Promise<void> {
    await this.prisma.$executeRaw`
      UPDATE idempotency_key SET status_code = ${answer.status}, response = ${JSON.stringify(answer.body)}::jsonb
       WHERE scope = ${scope} AND key = ${key}`;
  }
}
