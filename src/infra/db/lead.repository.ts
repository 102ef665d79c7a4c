import type { Lead, LeadStage, LeadStatus, Locale, Member, NewLead, Role } from '../../domain/leads/lead.js';
import type { LeadStore, LeadTx, OwnershipChange } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';

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

class PrismaLeadTx implements LeadTx {
  enqueued = 0;

  constructor(private readonly tx: Tx) {}

  async lockMember(memberId: string): Promise<Member | null> {
    await this.tx.$queryRaw`SELECT id FROM member WHERE id = ${memberId}::uuid FOR UPDATE`;
    return this.findMember(memberId);
  }

  async findLead(leadId: number, opts?: { forUpdate?: boolean }): Promise<Lead | null> {
    if (opts?.forUpdate) await this.tx.$queryRaw`SELECT id FROM lead WHERE id = ${leadId} FOR UPDATE`;
    const row = await this.tx.lead.findUnique({ where: { id: leadId } });
    return row ? toLead(row) : null;
  }

  async findMember(memberId: string): Promise<Member | null> {
    const row = await this.tx.member.findUnique({ where: { id: memberId } });
    return row ? toMember(row) : null;
  }

  async findMemberBySlack(teamId: string, slackUserId: string): Promise<Member | null> {
    const row = await this.tx.member.findUnique({ where: { teamId_slackUserId: { teamId, slackUserId } } });
    return row ? toMember(row) : null;
  }

  async claimBanUntil(leadId: number, memberId: string, now: Date): Promise<Date | null> {
    const ban = await this.tx.claimBan.findUnique({ where: { leadId_memberId: { leadId, memberId } } });
    return ban && ban.until > now ? ban.until : null;
  }

  countClaimsSince(memberId: string, since: Date): Promise<number> {
    return this.tx.leadEvent.count({ where: { actorId: memberId, action: 'claimed', at: { gte: since } } });
  }

  countHeld(memberId: string): Promise<number> {
    return this.tx.lead.count({ where: { ownerId: memberId, status: 'owned' } });
  }

  async changeOwner(change: OwnershipChange): Promise<boolean> {
    const status: LeadStatus = change.newOwnerId ? 'owned' : 'pooled';
    const ownedSince = change.newOwnerId ? change.at : null;
    const updated = await this.tx.$executeRaw`
      UPDATE lead
         SET owner_id = ${change.newOwnerId}::uuid, status = ${status}, owned_since = ${ownedSince},
             follow_up_due_at = ${change.followUpDueAt}, remind_at = ${change.remindAt},
             reminder_sent_at = NULL, updated_at = ${change.at}
       WHERE id = ${change.leadId} AND owner_id IS NOT DISTINCT FROM ${change.expectedOwnerId}::uuid`;
    if (updated !== 1) return false;
    await this.tx.leadEvent.create({
      data: {
        leadId: change.leadId,
        action: change.action,
        actorId: change.actorId,
        actorKind: change.actorKind,
        fromOwnerId: change.expectedOwnerId,
        toOwnerId: change.newOwnerId,
        reason: change.reason,
        at: change.at,
      },
    });
    return true;
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
    await this.tx.outboxMessage.create({
      data: {
        kind: notification.kind,
        orderKey: orderKey(notification),
        payload: notification as unknown as Prisma.InputJsonValue,
        createdAt: at,
        availableAt: at,
      },
    });
    this.enqueued++;
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
        return work(leadTx);
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

  async findMember(memberId: string): Promise<Member | null> {
    const row = await this.prisma.member.findUnique({ where: { id: memberId } });
    return row ? toMember(row) : null;
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
