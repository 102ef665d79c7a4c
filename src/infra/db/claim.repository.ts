import type { ClaimCounters, ClaimTx } from '../../domain/claims/claim-store.js';
import type { Member } from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { TxMixinBase } from './lead-tx.js';

/** A claim's locks and counts (ClaimTx). */
export function claimRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements ClaimTx {
    lockMemberByIdentity(teamId: string, who: Identity): Promise<Member | null> {
      return this.memberByIdentity(teamId, who, Prisma.raw('FOR UPDATE OF m'));
    }

    async claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters> {
      const [row] = await this.tx.$queryRaw<{ banned_until: Date | null; claimed_today: number; held: number }[]>`
        SELECT
          (SELECT until FROM claim_ban WHERE lead_id = ${leadId} AND member_id = ${memberId}::uuid AND until > ${now}) AS banned_until,
          (SELECT count(*)::int FROM lead_event WHERE actor_id = ${memberId}::uuid AND action = 'claimed' AND at >= ${dayStart}) AS claimed_today,
          (SELECT count(*)::int FROM lead WHERE owner_id = ${memberId}::uuid AND status = 'owned') AS held`;
      return { bannedUntil: row?.banned_until ?? null, claimedToday: row?.claimed_today ?? 0, held: row?.held ?? 0 };
    }
  };
}
