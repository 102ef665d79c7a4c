import { MESSENGERS } from '../../config/teams-schema.js';
import type { VisibleScope } from '../../domain/access/access-policy.js';
import type { ClaimPeek, ClaimReads, ClaimSnapshot, JudgedClaim } from '../../domain/claims/claim-store.js';
import type { IntakeStore, IntakeTx } from '../../domain/intake/intake-store.js';
import type { Lead, Member } from '../../domain/leads/lead.js';
import type { LeadCardData } from '../../domain/leads/lead-read-model.js';
import type { LeadSearch, LeadWithOwner } from '../../domain/leads/lead-store.js';
import { ANY_TENANT, type Identity } from '../../domain/members/identity.js';
import type { LeadStore, StoreTx } from '../../domain/store.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import { activityRows } from './activity.repository.js';
import { claimRows, readClaimSnapshot, writeJudgedClaim } from './claim.repository.js';
import { intakeRows } from './intake.repository.js';
import { LeadRows } from './lead-tx.js';
import { poolRows } from './pool.repository.js';
import {
  identityJoin,
  LEAD_COLUMNS,
  type LeadRow,
  MEMBER_COLUMNS,
  type MemberRow,
  type Tx,
  toLead,
  toMember,
} from './rows.js';
import { slaRows } from './sla.repository.js';
import { prismaSql, type SqlRunner, type SqlTransaction, type SqlTx } from './sql.js';

/** Every port in one transaction: the lead's own rows, and each capability's over them. */
class PrismaLeadTx
  extends activityRows(intakeRows(poolRows(slaRows(claimRows(LeadRows)))))
  implements StoreTx, IntakeTx {}

export interface LeadRepositoryOptions {
  /** Called after a transaction that queued notifications commits, to wake the outbox relay. */
  afterEnqueue?: () => void;
  /** The messengers notifications are written for; every supported one when not given. */
  messengers?: readonly string[];
  /** The database without the ORM, for a claim's statements; through the ORM when not given. */
  sql?: SqlRunner;
  /** Intake's transactions without the ORM (PostgreSQL); through the ORM when not given. */
  transaction?: SqlTransaction;
}

/**
 * The raw statements of the ORM's transaction client, over a transaction without the ORM: all the
 * rows' mixins use on intake's path. Anything else is a mistake, said at once.
 */
function rawTx(tx: SqlTx): Tx {
  const statement = (query: TemplateStringsArray | Prisma.Sql, values: unknown[]) =>
    'raw' in query ? Prisma.sql(query, ...values) : query;
  const calls: Record<string, unknown> = {
    $queryRaw: (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => tx.query(statement(query, values)),
    $executeRaw: (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) =>
      tx.execute(statement(query, values)),
  };
  return new Proxy(calls, {
    get: (target, name) => {
      if (typeof name === 'string' && name in target) return target[name];
      throw new Error(`${String(name)} is not available in a transaction without the ORM`);
    },
  }) as unknown as Tx;
}

export class PrismaLeadStore implements LeadStore, IntakeStore {
  private readonly sql: SqlRunner;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: LeadRepositoryOptions = {},
  ) {
    this.sql = options.sql ?? prismaSql(prisma);
  }

  intakeTransaction<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    const transaction = this.options.transaction;
    if (!transaction) return this.transaction(work);
    return this.inLeadTx((body) => transaction((tx) => body(rawTx(tx))), work);
  }

  transaction<T>(work: (tx: PrismaLeadTx) => Promise<T>): Promise<T> {
    // Claim bursts queue on the pool; waiting is better than failing a click.
    return this.inLeadTx((body) => this.prisma.$transaction(body, { maxWait: 20_000, timeout: 20_000 }), work);
  }

  /** Runs `work` on the ports over the transaction `open` gives, writes what it buffered, then wakes the relay. */
  private async inLeadTx<T>(
    open: (body: (tx: Tx) => Promise<T>) => Promise<T>,
    work: (tx: PrismaLeadTx) => Promise<T>,
  ): Promise<T> {
    let leadTx: PrismaLeadTx | undefined;
    const result = await open(async (tx) => {
      leadTx = new PrismaLeadTx(tx, this.options.messengers ?? MESSENGERS);
      const result = await work(leadTx);
      await leadTx.flush();
      return result;
    });
    if (leadTx && leadTx.enqueued > 0) this.options.afterEnqueue?.();
    return result;
  }

  async findLead(leadId: number): Promise<Lead | null> {
    const row = await this.prisma.lead.findUnique({ where: { id: leadId } });
    return row ? toLead(row) : null;
  }

  claimSnapshot(read: Parameters<ClaimReads['claimSnapshot']>[0]): Promise<ClaimSnapshot | null> {
    return readClaimSnapshot(this.sql, read);
  }

  async claimIfUnchanged(claim: JudgedClaim): Promise<LeadCardData | null> {
    const card = await writeJudgedClaim(this.sql, claim, this.options.messengers ?? MESSENGERS);
    if (card && claim.notifications.length > 0) this.options.afterEnqueue?.();
    return card;
  }

  async peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]> {
    const rows = await this.sql<MemberRow & { n: bigint | string; active: boolean; owns: boolean }>(Prisma.sql`
      WITH a AS (
        SELECT * FROM unnest(${who.map((w) => w.messenger)}::text[], ${who.map((w) => w.tenant)}::text[],
                             ${who.map((w) => w.externalId)}::text[]) WITH ORDINALITY AS a(messenger, tenant, external_id, n)
      )
      SELECT a.n, ${MEMBER_COLUMNS},
        EXISTS (SELECT 1 FROM member_identity x JOIN member xm ON xm.id = x.member_id
                 WHERE x.team_id = l.team_id AND xm.active AND x.messenger = a.messenger
                   AND x.external_id = a.external_id AND x.tenant IN (a.tenant, ${ANY_TENANT})) AS active,
        EXISTS (SELECT 1 FROM member_identity o
                 WHERE o.member_id = l.owner_id AND o.messenger = a.messenger
                   AND o.external_id = a.external_id AND o.tenant IN (a.tenant, ${ANY_TENANT})) AS owns
      FROM a CROSS JOIN lead l LEFT JOIN member m ON m.id = l.owner_id
      WHERE l.id = ${leadId} ORDER BY a.n`);
    const byIndex = new Map(rows.map((r) => [Number(r.n) - 1, r]));
    return who.map((_, i) => {
      const row = byIndex.get(i);
      if (!row) return null;
      return { owner: row.id ? toMember(row) : null, actorIsActiveMember: row.active, actorIsOwner: row.owns };
    });
  }

  async membershipsOf(who: Identity): Promise<Member[]> {
    const rows = await this.prisma.$queryRaw<MemberRow[]>`
      SELECT DISTINCT ${MEMBER_COLUMNS} FROM member m ${identityJoin(who)} ORDER BY "teamId"`;
    return rows.map(toMember);
  }

  async searchLeads(scope: VisibleScope, search: LeadSearch, limit: number): Promise<LeadWithOwner[]> {
    const like = `%${search.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match =
      search.kind === 'email'
        ? Prisma.sql`lower(email) LIKE ${like}`
        : search.kind === 'phone'
          ? Prisma.sql`phone LIKE ${like}`
          : Prisma.sql`(name ILIKE ${like} OR company ILIKE ${like})`;
    const visible = scope.all
      ? Prisma.sql`TRUE`
      : Prisma.sql`(team_id = ANY(${scope.teams}::text[])
          OR (status = 'pooled' AND team_id = ANY(${scope.poolTeams}::text[]))
          OR owner_id = ANY(${scope.ownerIds}::uuid[]))`;
    const rows = await this.prisma.$queryRaw<(LeadRow & { ownerName: string | null })[]>`
      SELECT ${LEAD_COLUMNS}, (SELECT display_name FROM member m WHERE m.id = lead.owner_id) AS "ownerName"
        FROM lead
       WHERE status <> 'merged' AND ${visible} AND ${match}
       ORDER BY id DESC LIMIT ${limit}`;
    return rows.map(({ ownerName, ...row }) => ({ lead: toLead(row), ownerName }));
  }

  async ownedLeads(memberIds: string[], limit?: number): Promise<Lead[]> {
    const rows = await this.prisma.lead.findMany({
      where: { ownerId: { in: memberIds }, status: 'owned' },
      orderBy: [{ followUpDueAt: 'asc' }, { id: 'asc' }],
      ...(limit === undefined ? {} : { take: limit }),
    });
    return rows.map(toLead);
  }

  async deskSummary(memberIds: string[], now: Date, dayEnd: Date) {
    const [row] = await this.prisma.$queryRaw<{ open: number; overdue: number; today: number }[]>`
      SELECT count(*)::int AS open,
             count(*) FILTER (WHERE follow_up_due_at <= ${now})::int AS overdue,
             count(*) FILTER (WHERE follow_up_due_at > ${now} AND follow_up_due_at <= ${dayEnd})::int AS today
        FROM lead WHERE owner_id = ANY(${memberIds}::uuid[]) AND status = 'owned'`;
    return { openCount: row?.open ?? 0, overdueCount: row?.overdue ?? 0, dueTodayCount: row?.today ?? 0 };
  }

  async teamBacklog(teamId: string, now: Date, soonMs: number) {
    const soon = new Date(now.getTime() + soonMs);
    const [row] = await this.prisma.$queryRaw<{ overdue: number; soon: number; pooled: number; oldest: Date | null }[]>`
      SELECT
        (SELECT count(*)::int FROM lead WHERE team_id = ${teamId} AND status = 'owned' AND follow_up_due_at <= ${now}) AS overdue,
        (SELECT count(*)::int FROM lead WHERE team_id = ${teamId} AND status = 'owned'
            AND follow_up_due_at > ${now} AND follow_up_due_at <= ${soon}) AS soon,
        (SELECT count(*)::int FROM lead WHERE team_id = ${teamId} AND status = 'pooled') AS pooled,
        (SELECT min(created_at) FROM lead WHERE team_id = ${teamId} AND status = 'pooled') AS oldest`;
    return {
      overdue: row?.overdue ?? 0,
      dueSoon: row?.soon ?? 0,
      pooled: row?.pooled ?? 0,
      oldestPooledAt: row?.oldest ?? null,
    };
  }

  async claimedSince(memberId: string, since: Date): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM lead_event WHERE actor_id = ${memberId}::uuid AND action = 'claimed' AND at >= ${since}`;
    return row?.n ?? 0;
  }

  async activeCooldowns(memberIds: string[], now: Date): Promise<{ leadId: number; until: Date }[]> {
    const rows = await this.prisma.claimBan.findMany({
      where: { memberId: { in: memberIds }, until: { gt: now } },
      orderBy: { until: 'asc' },
      take: 20,
    });
    return rows.map((r) => ({ leadId: r.leadId, until: r.until }));
  }

  async pooledLeads(teamId: string, limit: number): Promise<Lead[]> {
    const rows = await this.prisma.lead.findMany({
      where: { teamId, status: 'pooled' },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map(toLead);
  }

  async recentLeads(teamId: string, limit: number): Promise<LeadWithOwner[]> {
    const rows = await this.prisma.lead.findMany({
      where: { teamId, status: { not: 'merged' } },
      include: { owner: true },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map(({ owner, ...lead }) => ({ lead: toLead(lead), ownerName: owner?.displayName ?? null }));
  }

  async overdueLeads(teamIds: string[] | null, now: Date, limit: number) {
    const rows = await this.prisma.lead.findMany({
      where: { status: 'owned', followUpDueAt: { lte: now }, ...(teamIds ? { teamId: { in: teamIds } } : {}) },
      include: { owner: true },
      orderBy: [{ followUpDueAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
    return rows.map(({ owner, ...lead }) => ({ lead: toLead(lead), ownerName: owner?.displayName ?? null }));
  }

  async leadIdsDueForReminder(now: Date, limit: number): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM lead
       WHERE status = 'owned' AND reminder_sent_at IS NULL AND remind_at <= ${now} AND follow_up_due_at > ${now}
       ORDER BY remind_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  /** Forgets idempotency keys created before `before`; returns how many. */
  async purgeIdempotencyKeys(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM idempotency_key WHERE created_at < ${before}`;
  }

  /** Forgets the card counts of windows that ended before `before` with no summary card. */
  async purgeCardCounters(before: Date): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM card_burst b WHERE window_start < ${before}
         AND NOT EXISTS (SELECT 1 FROM lead l WHERE l.card_burst_id = b.id)`;
  }

  async leadIdsWaitingInPools(pools: readonly { teamId: string; poolId: string }[], limit: number): Promise<number[]> {
    if (pools.length === 0) return [];
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT l.id FROM lead l
        JOIN unnest(${pools.map((p) => p.teamId)}::text[], ${pools.map((p) => p.poolId)}::text[]) AS p(team_id, pool_id)
          ON l.team_id = p.team_id AND l.pool_id = p.pool_id
       WHERE l.status = 'pooled'
       ORDER BY l.id LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  async leadIdsDuplicateUnanswered(now: Date, limit: number): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM lead WHERE status = 'awaiting_owner' AND duplicate_due_at <= ${now}
       ORDER BY duplicate_due_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  async leadIdsBreached(now: Date, limit: number): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM lead WHERE status = 'owned' AND follow_up_due_at <= ${now}
       ORDER BY follow_up_due_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }
}
