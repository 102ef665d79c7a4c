import type {
  ClaimCounters,
  ClaimReads,
  ClaimSnapshot,
  ClaimTx,
  JudgedClaim,
} from '../../domain/claims/claim-store.js';
import type { Lead, Member } from '../../domain/leads/lead.js';
import type { LeadCardData, PostRef } from '../../domain/leads/lead-read-model.js';
import type { Identity } from '../../domain/members/identity.js';
import { Prisma } from '../../generated/prisma/client.js';
import { eventInsert, leadUpdate, outboxInsert, outboxRows, type TxMixinBase } from './lead-tx.js';
import {
  identityJoin,
  LEAD_COLUMNS,
  type LeadRow,
  MEMBER_COLUMNS,
  type MemberRow,
  relatedLeads,
  toLead,
  toMember,
} from './rows.js';
import type { SqlRunner } from './sql.js';

/** A claim's locks and counts (ClaimTx). */
export function claimRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements ClaimTx {
    /** Locks the member's row by counting the claim: a claim judged on a read then sees it changed. */
    async lockMemberByIdentity(teamId: string, who: Identity): Promise<Member | null> {
      const [row] = await this.tx.$queryRaw<MemberRow[]>`
        UPDATE member m SET claim_version = m.claim_version + 1
         WHERE m.id = (SELECT m.id FROM member m ${identityJoin(who)} AND i.team_id = ${teamId} LIMIT 1)
        RETURNING ${MEMBER_COLUMNS}`;
      return row ? toMember(row) : null;
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

type MemberJson = Omit<MemberRow, 'pausedAt' | 'pausedUntil' | 'updatedAt'> & {
  pausedAt: string | null;
  pausedUntil: string | null;
  updatedAt: string;
};

/** A member selected as jsonb (its times as text) back into a member. */
function memberOf(json: MemberJson | null): Member | null {
  if (!json) return null;
  const at = (v: string | null) => (v === null ? null : new Date(v));
  return toMember({
    ...json,
    pausedAt: at(json.pausedAt),
    pausedUntil: at(json.pausedUntil),
    updatedAt: new Date(json.updatedAt),
  });
}

/** A lead row with what a claim's statements select beside its columns, back into a lead. */
function leadOf<T extends LeadRow>(row: T, extra: readonly (keyof T)[]): Lead {
  const lead = { ...row };
  for (const key of extra) delete lead[key];
  return toLead(lead);
}

type SnapshotRow = LeadRow & {
  leadVersion: string;
  ownerUuid: string | null;
  repeated: boolean;
  member: (MemberJson & { claimVersion: number }) | null;
  owner: MemberJson | null;
  bannedUntil: Date | null;
  claimedToday: number;
  held: number;
};

/** ClaimReads.claimSnapshot: the lead, the clicker's membership, the owner and the counts in one read. */
export async function readClaimSnapshot(
  sql: SqlRunner,
  read: Parameters<ClaimReads['claimSnapshot']>[0],
): Promise<ClaimSnapshot | null> {
  const { leadId, who, dayStarts, now, requestId } = read;
  const repeated = requestId
    ? Prisma.sql`EXISTS (SELECT 1 FROM idempotency_key WHERE scope = 'request' AND key = ${requestId})`
    : Prisma.sql`FALSE`;
  const [row] = await sql<SnapshotRow>(Prisma.sql`
    SELECT l.*, ${repeated} AS "repeated",
           CASE WHEN me.id IS NULL THEN NULL ELSE to_jsonb(me) END AS "member",
           (SELECT to_jsonb(o) FROM (SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.id = l."ownerUuid") o) AS "owner",
           (SELECT until FROM claim_ban b
             WHERE b.lead_id = l.id AND b.member_id = me.id::uuid AND b.until > ${now}) AS "bannedUntil",
           (SELECT count(*)::int FROM lead_event e
             WHERE e.actor_id = me.id::uuid AND e.action = 'claimed' AND e.at >= d.day_start) AS "claimedToday",
           (SELECT count(*)::int FROM lead x WHERE x.owner_id = me.id::uuid AND x.status = 'owned') AS "held"
      FROM (SELECT ${LEAD_COLUMNS}, xmin::text AS "leadVersion", owner_id AS "ownerUuid" FROM lead WHERE id = ${leadId}) l
      LEFT JOIN unnest(${[...dayStarts.keys()]}::text[], ${[...dayStarts.values()]}::timestamptz[]) AS d(team_id, day_start)
             ON d.team_id = l."teamId"
      LEFT JOIN LATERAL (
        SELECT ${MEMBER_COLUMNS}, m.claim_version AS "claimVersion"
          FROM member m ${identityJoin(who)} AND i.team_id = l."teamId" LIMIT 1
      ) me ON TRUE`);
  if (!row) return null;
  const { leadVersion, repeated: wasRepeated, member, owner, bannedUntil, claimedToday, held } = row;
  return {
    lead: leadOf(row, [
      'leadVersion',
      'ownerUuid',
      'repeated',
      'member',
      'owner',
      'bannedUntil',
      'claimedToday',
      'held',
    ]),
    member: memberOf(member),
    owner: memberOf(owner),
    counters: { bannedUntil, claimedToday, held },
    repeated: wasRepeated,
    version: { lead: leadVersion, member: member?.claimVersion ?? 0 },
  };
}

type ClaimedRow = LeadRow & {
  ownerUuid: string;
  owner: MemberJson;
  related: { id: number; status: Lead['status']; ownerName: string | null }[];
  posts: Record<string, { channelId: string; messageId: string; postedAt: string; burstId: number | null }>;
};

/** The claimed lead's posts as the write selected them (jsonb: times as text). */
function postsOf(posts: ClaimedRow['posts']): Record<string, PostRef> {
  return Object.fromEntries(
    Object.entries(posts).map(([messenger, p]) => {
      const ref: PostRef = { channelId: p.channelId, messageId: p.messageId, postedAt: new Date(p.postedAt) };
      return [messenger, p.burstId === null ? ref : { ...ref, burstId: p.burstId }];
    }),
  );
}

/**
 * ClaimReads.claimIfUnchanged in one statement. The member's claim count moves first (the row lock
 * one rep's claims queue on, as in the transaction); the lead moves only if that count and the
 * lead's row version are still as read and the request is new; the audit row, the request's mark
 * and the notifications are written only with the lead. A concurrent change makes PostgreSQL
 * re-check the lead's row after its lock, where the version no longer matches: nothing is written.
 */
export async function writeJudgedClaim(
  sql: SqlRunner,
  claim: JudgedClaim,
  messengers: readonly string[],
): Promise<LeadCardData | null> {
  const { change, memberId, version, requestId } = claim;
  const isNew = requestId
    ? Prisma.sql`NOT EXISTS (SELECT 1 FROM idempotency_key WHERE scope = 'request' AND key = ${requestId})`
    : Prisma.sql`TRUE`;
  const guard = Prisma.sql`xmin = ${version.lead}::xid AND EXISTS (SELECT 1 FROM ver) AND ${isNew}`;
  const notices = outboxRows(
    claim.notifications.map((notification) => ({ notification, at: change.at, sinks: messengers })),
  );
  const [row] = await sql<ClaimedRow>(Prisma.sql`
    WITH ver AS (
      UPDATE member SET claim_version = claim_version + 1
       WHERE id = ${memberId}::uuid AND claim_version = ${version.member} RETURNING id
    ), changed AS (
      ${leadUpdate(change, guard)} RETURNING ${LEAD_COLUMNS}, owner_id AS "ownerUuid"
    ), event AS (${eventInsert(change)}
    ), handled AS (
      INSERT INTO idempotency_key (scope, key, request_hash, created_at)
      SELECT 'request', ${requestId ?? null}::text, '', ${change.at} FROM changed WHERE ${requestId ?? null}::text IS NOT NULL
      ON CONFLICT DO NOTHING
    ), notices AS (${outboxInsert(notices, Prisma.sql`EXISTS (SELECT 1 FROM changed)`)})
    SELECT c.*,
           (SELECT to_jsonb(o) FROM (SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.id = c."ownerUuid") o) AS "owner",
           COALESCE((SELECT jsonb_agg(r ORDER BY r.id) FROM (
             ${relatedLeads({ id: Prisma.sql`c.id`, teamId: Prisma.sql`c."teamId"`, companyKey: Prisma.sql`c."companyKey"` })}
           ) r), '[]'::jsonb) AS "related",
           -- Where its cards are: the click's answer redraws the card without another round trip.
           (SELECT COALESCE(jsonb_object_agg(p.messenger, jsonb_build_object('channelId', p.channel_id,
                     'messageId', p.message_id, 'postedAt', p.posted_at, 'burstId', p.burst_id)), '{}'::jsonb)
              FROM lead_post p WHERE p.lead_id = c.id) AS "posts"
      FROM changed c`);
  if (!row) return null;
  return {
    lead: leadOf(row, ['ownerUuid', 'owner', 'related', 'posts']),
    owner: memberOf(row.owner),
    returnedFrom: null,
    taken: { how: 'claimed' },
    related: row.related,
    posts: postsOf(row.posts),
  };
}
