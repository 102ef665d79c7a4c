import type { Lead, LeadStage, LeadStatus, Locale, Member, NewLead, Role } from '../../domain/leads/lead.js';
import type { ClaimCounters, LeadStore, LeadTx, OwnershipChange } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;
type LeadRow = Awaited<ReturnType<PrismaClient['lead']['findUniqueOrThrow']>>;
type MemberRow = Awaited<ReturnType<PrismaClient['member']['findUniqueOrThrow']>>;

export function toLead(row: LeadRow): Lead {
  return {
    ...row,
    status: row.status as LeadStatus,
    stage: row.stage as LeadStage,
  };
}

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    teamId: row.teamId,
    slackUserId: row.slackUserId,
    displayName: row.displayName,
    role: row.role as Role,
    locale: row.locale as Locale,
    active: row.active,
  };
}

export function orderKey(notification: Notification): string {
  return `lead:${notification.leadId}`;
}

// Raw queries on the hot path select columns under the model's field names, so one mapper fits
// both Prisma rows and raw rows.
const MEMBER_COLUMNS = Prisma.raw(
  'm.id::text AS "id", m.team_id AS "teamId", m.slack_user_id AS "slackUserId", m.display_name AS "displayName", ' +
    'm.role, m.locale, m.active, m.updated_at AS "updatedAt"',
);
const LEAD_COLUMNS = Prisma.raw(
  'id, team_id AS "teamId", status, stage, name, company, title, email, phone, region, industry, need, notes, source, ' +
    'owner_id::text AS "ownerId", owned_since AS "ownedSince", follow_up_due_at AS "followUpDueAt", ' +
    'remind_at AS "remindAt", reminder_sent_at AS "reminderSentAt", created_at AS "createdAt", updated_at AS "updatedAt"',
);

class PrismaLeadTx implements LeadTx {
  private readonly pending: { notification: Notification; at: Date }[] = [];

  constructor(private readonly tx: Tx) {}

  get enqueued(): number {
    return this.pending.length;
  }

  async lockMemberBySlack(teamId: string, slackUserId: string): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.team_id = ${teamId} AND m.slack_user_id = ${slackUserId} FOR UPDATE`;
    return row ? toMember(row) : null;
  }

  async findLead(leadId: number, opts?: { forUpdate?: boolean }): Promise<Lead | null> {
    const lock = opts?.forUpdate ? Prisma.raw('FOR UPDATE') : Prisma.empty;
    const [row] = await this.tx.$queryRaw<LeadRow[]>`SELECT ${LEAD_COLUMNS} FROM lead WHERE id = ${leadId} ${lock}`;
    return row ? toLead(row) : null;
  }

  async claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters> {
    const [row] = await this.tx.$queryRaw<{ banned_until: Date | null; claimed_today: number; held: number }[]>`
      SELECT
        (SELECT until FROM claim_ban WHERE lead_id = ${leadId} AND member_id = ${memberId}::uuid AND until > ${now}) AS banned_until,
        (SELECT count(*)::int FROM lead_event WHERE actor_id = ${memberId}::uuid AND action = 'claimed' AND at >= ${dayStart}) AS claimed_today,
        (SELECT count(*)::int FROM lead WHERE owner_id = ${memberId}::uuid AND status = 'owned') AS held`;
    return { bannedUntil: row?.banned_until ?? null, claimedToday: row?.claimed_today ?? 0, held: row?.held ?? 0 };
  }

  /** Writes the queued notifications in one statement, inside the transaction. */
  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.tx.outboxMessage.createMany({
      data: this.pending.map(({ notification, at }) => ({
        kind: notification.kind,
        orderKey: orderKey(notification),
        payload: notification as unknown as Prisma.InputJsonValue,
        createdAt: at,
        availableAt: at,
      })),
    });
  }

  async findMember(memberId: string): Promise<Member | null> {
    const row = await this.tx.member.findUnique({ where: { id: memberId } });
    return row ? toMember(row) : null;
  }

  async currentOwner(leadId: number): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM lead l JOIN member m ON m.id = l.owner_id WHERE l.id = ${leadId}`;
    return row ? toMember(row) : null;
  }

  async findMemberBySlack(teamId: string, slackUserId: string): Promise<Member | null> {
    const row = await this.tx.member.findUnique({ where: { teamId_slackUserId: { teamId, slackUserId } } });
    return row ? toMember(row) : null;
  }

  async changeOwner(change: OwnershipChange): Promise<boolean> {
    const status: LeadStatus = change.newOwnerId ? 'owned' : 'pooled';
    const ownedSince = change.newOwnerId ? change.at : null;
    // The conditional update and its audit row in one statement: no row, no event.
    const rows = await this.tx.$queryRaw<{ id: bigint }[]>`
      WITH changed AS (
        UPDATE lead
           SET owner_id = ${change.newOwnerId}::uuid, status = ${status}, owned_since = ${ownedSince},
               follow_up_due_at = ${change.followUpDueAt}, remind_at = ${change.remindAt},
               reminder_sent_at = NULL, updated_at = ${change.at}
         WHERE id = ${change.leadId} AND owner_id IS NOT DISTINCT FROM ${change.expectedOwnerId}::uuid
        RETURNING id
      )
      INSERT INTO lead_event (lead_id, action, actor_id, actor_kind, from_owner_id, to_owner_id, reason, at)
      SELECT id, ${change.action}, ${change.actorId}::uuid, ${change.actorKind}, ${change.expectedOwnerId}::uuid,
             ${change.newOwnerId}::uuid, ${change.reason}, ${change.at}
        FROM changed
      RETURNING id`;
    return rows.length === 1;
  }

  async banFromClaiming(leadId: number, memberId: string, until: Date): Promise<void> {
    await this.tx.claimBan.upsert({
      where: { leadId_memberId: { leadId, memberId } },
      create: { leadId, memberId, until },
      update: { until },
    });
  }

  async markReminded(leadId: number, ownerId: string, remindAt: Date, at: Date): Promise<boolean> {
    const updated = await this.tx.$executeRaw`
      UPDATE lead SET reminder_sent_at = ${at}
       WHERE id = ${leadId} AND owner_id = ${ownerId}::uuid AND remind_at = ${remindAt}
         AND reminder_sent_at IS NULL`;
    return updated === 1;
  }

  async recordFollowUp(input: Parameters<LeadTx['recordFollowUp']>[0]): Promise<void> {
    await this.tx.followUp.create({
      data: { leadId: input.leadId, memberId: input.memberId, method: input.method, note: input.note, at: input.at },
    });
    await this.tx.lead.update({
      where: { id: input.leadId },
      data: {
        followUpDueAt: input.followUpDueAt,
        remindAt: input.remindAt,
        reminderSentAt: null,
        stage: input.stage,
        updatedAt: input.at,
      },
    });
    await this.tx.leadEvent.create({
      data: {
        leadId: input.leadId,
        action: 'followed_up',
        actorId: input.memberId,
        actorKind: 'member',
        reason: input.method,
        at: input.at,
      },
    });
  }

  async insertLead(input: NewLead, at: Date): Promise<Lead> {
    const { team, ...fields } = input;
    const row = await this.tx.lead.create({ data: { ...fields, teamId: team, createdAt: at, updatedAt: at } });
    await this.tx.leadEvent.create({
      data: { leadId: row.id, action: 'created', actorKind: 'system', reason: 'intake_api', at },
    });
    return toLead(row);
  }

  async managersOf(teamId: string): Promise<Member[]> {
    const rows = await this.tx.member.findMany({
      where: { teamId, active: true, role: { in: ['manager', 'admin'] } },
      orderBy: { displayName: 'asc' },
    });
    return rows.map(toMember);
  }

  async enqueue(notification: Notification, at: Date): Promise<void> {
    this.pending.push({ notification, at });
  }
}

export interface LeadRepositoryOptions {
  /** Called after a transaction that queued notifications commits, to wake the outbox relay. */
  afterEnqueue?: () => void;
}

export class PrismaLeadStore implements LeadStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: LeadRepositoryOptions = {},
  ) {}

  async transaction<T>(work: (tx: LeadTx) => Promise<T>): Promise<T> {
    let leadTx: PrismaLeadTx | undefined;
    const result = await this.prisma.$transaction(
      async (tx) => {
        leadTx = new PrismaLeadTx(tx);
        const result = await work(leadTx);
        await leadTx.flush();
        return result;
      },
      // Claim bursts queue on the pool; waiting is better than failing a click.
      { maxWait: 20_000, timeout: 20_000 },
    );
    if (leadTx && leadTx.enqueued > 0) this.options.afterEnqueue?.();
    return result;
  }

  async findLead(leadId: number): Promise<Lead | null> {
    const row = await this.prisma.lead.findUnique({ where: { id: leadId } });
    return row ? toLead(row) : null;
  }

  async membersBySlack(slackUserId: string): Promise<Member[]> {
    const rows = await this.prisma.member.findMany({ where: { slackUserId }, orderBy: { teamId: 'asc' } });
    return rows.map(toMember);
  }

  async ownedLeads(memberIds: string[]): Promise<Lead[]> {
    const rows = await this.prisma.lead.findMany({
      where: { ownerId: { in: memberIds }, status: 'owned' },
      orderBy: { followUpDueAt: 'asc' },
    });
    return rows.map(toLead);
  }

  async leadIdsDueForReminder(now: Date, limit: number): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM lead
       WHERE status = 'owned' AND reminder_sent_at IS NULL AND remind_at <= ${now} AND follow_up_due_at > ${now}
       ORDER BY remind_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  async leadIdsBreached(now: Date, limit: number): Promise<number[]> {
    const rows = await this.prisma.$queryRaw<{ id: number }[]>`
      SELECT id FROM lead WHERE status = 'owned' AND follow_up_due_at <= ${now}
       ORDER BY follow_up_due_at LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }
}
