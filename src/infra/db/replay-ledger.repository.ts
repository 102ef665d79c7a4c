import type { StoredResponse } from '../../domain/intake/intake-store.js';
import type { ReplayLedger } from '../../domain/shared/replay-ledger.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

/**
 * Remembers inbound platform requests (in the idempotency-key table, pruned by housekeeping) so a
 * replayed or redelivered request is answered from the first one instead of running again.
 */
export class PrismaReplayLedger implements ReplayLedger {
  constructor(private readonly prisma: PrismaClient) {}

  async claim(scope: string, key: string, at: Date): Promise<boolean> {
    const inserted = await this.prisma.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_key (scope, key, request_hash, created_at) VALUES (${scope}, ${key}, '', ${at})
      ON CONFLICT DO NOTHING RETURNING key`;
    return inserted.length === 1;
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
