import type { Lead, Member } from '../../domain/leads/lead.js';
import type { FollowUpEntry, HistoryEntry, LeadCardData, LeadReadModel } from '../../domain/leads/lead-read-model.js';
import { type Identity, identity } from '../../domain/members/identity.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { ChannelMessage, ChannelPosts, LeadPostStore, PostRef } from '../outbox/lead-posts.js';
import { relatedLeads, toLead, toMember } from './rows.js';
import { prismaSql, type SqlRunner } from './sql.js';

export class PrismaLeadReadModel implements LeadReadModel {
  constructor(private readonly prisma: PrismaClient) {}

  async cardData(leadId: number): Promise<LeadCardData | null> {
    const row = await this.prisma.lead.findUnique({ where: { id: leadId }, include: { owner: true } });
    if (!row) return null;
    const { owner, ...lead } = row;
    const pooled = lead.status === 'pooled';
    // The card's other facts are independent reads: they go together, not one after another.
    const [returnedFrom, alerted, related] = await Promise.all([
      pooled ? this.returnedFrom(leadId) : null,
      pooled ? this.alerted(leadId) : [],
      this.related(row),
    ]);
    const taken = lead.status === 'owned' ? takenOf(lead) : undefined;
    return {
      lead: toLead(lead),
      owner: owner ? toMember(owner) : null,
      returnedFrom,
      ...(taken ? { taken } : {}),
      related,
      ...(alerted.length > 0 ? { alerted } : {}),
    };
  }

  /** Who lost a pooled lead, when it came back through a reclaim. */
  private async returnedFrom(leadId: number): Promise<Member | null> {
    const last = await this.prisma.leadEvent.findFirst({
      where: { leadId, action: { in: ['claimed', 'reclaimed'] } },
      orderBy: { id: 'desc' },
    });
    return last?.action === 'reclaimed' && last.fromOwnerId ? this.member(last.fromOwnerId) : null;
  }

  private async alerted(leadId: number): Promise<NonNullable<LeadCardData['alerted']>> {
    const rows = await this.prisma.leadAlert.findMany({
      where: { leadId },
      include: { member: { include: { identities: true } } },
      orderBy: { member: { displayName: 'asc' } },
    });
    return rows.map(({ member }) => ({
      name: member.displayName,
      identities: member.identities.map((i) => identity(i.messenger, i.tenant, i.externalId)),
    }));
  }

  private async related(lead: {
    id: number;
    teamId: string;
    companyKey: string | null;
  }): Promise<LeadCardData['related']> {
    if (!lead.companyKey) return [];
    return this.prisma.$queryRaw<LeadCardData['related']>(
      relatedLeads({
        id: Prisma.sql`${lead.id}`,
        teamId: Prisma.sql`${lead.teamId}`,
        companyKey: Prisma.sql`${lead.companyKey}`,
      }),
    );
  }

  async lead(leadId: number): Promise<Lead | null> {
    const row = await this.prisma.lead.findUnique({ where: { id: leadId } });
    return row ? toLead(row) : null;
  }

  async member(memberId: string): Promise<Member | null> {
    const row = await this.prisma.member.findUnique({ where: { id: memberId } });
    return row ? toMember(row) : null;
  }

  async history(leadId: number, limit: number): Promise<{ followUps: FollowUpEntry[]; events: HistoryEntry[] }> {
    const [followUps, events] = await Promise.all([
      this.prisma.followUp.findMany({
        where: { leadId },
        include: { member: true },
        orderBy: { id: 'desc' },
        take: limit,
      }),
      this.prisma.$queryRaw<{ at: Date; action: string; by: string | null; reason: string }[]>`
        SELECT e.at, e.action, m.display_name AS by, e.reason FROM lead_event e LEFT JOIN member m ON m.id = e.actor_id
         WHERE e.lead_id = ${leadId} ORDER BY e.id DESC LIMIT ${limit}`,
    ]);
    return {
      followUps: followUps.map((f) => ({
        at: f.at,
        by: f.member.displayName,
        method: f.method,
        note: f.note,
        nextContactAt: f.nextContactAt,
        outcome: f.outcome,
        nextStep: f.nextStep,
      })),
      events: events.map((e) => ({ at: e.at, action: e.action, by: e.by ?? '', reason: e.reason })),
    };
  }

  async identityOf(memberId: string, messenger: string): Promise<Identity | null> {
    const row = await this.prisma.memberIdentity.findFirst({ where: { memberId, messenger } });
    return row ? identity(row.messenger, row.tenant, row.externalId) : null;
  }
}

export class PrismaLeadPostStore implements LeadPostStore, ChannelPosts {
  private readonly sql: SqlRunner;

  constructor(
    private readonly prisma: PrismaClient,
    /** A claimed card is drawn from this read: without the ORM where given (see SqlRunner). */
    sql?: SqlRunner,
  ) {
    this.sql = sql ?? prismaSql(prisma);
  }

  async find(leadId: number, messenger: string): Promise<PostRef | null> {
    const [row] = await this.sql<{ channelId: string; messageId: string; postedAt: Date; burstId: number | null }>(
      Prisma.sql`SELECT channel_id AS "channelId", message_id AS "messageId", posted_at AS "postedAt", burst_id AS "burstId"
                   FROM lead_post WHERE lead_id = ${leadId} AND messenger = ${messenger}`,
    );
    if (!row) return null;
    const ref: PostRef = { channelId: row.channelId, messageId: row.messageId, postedAt: row.postedAt };
    return row.burstId === null ? ref : { ...ref, burstId: row.burstId };
  }

  async save(leadIds: readonly number[], messenger: string, ref: PostRef): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO lead_post (lead_id, messenger, channel_id, message_id, posted_at, burst_id)
      SELECT id, ${messenger}, ${ref.channelId}, ${ref.messageId}, coalesce(${ref.postedAt ?? null}::timestamptz, now()), ${ref.burstId ?? null}::int
        FROM unnest(${[...leadIds]}::int[]) AS id
      ON CONFLICT (lead_id, messenger) DO UPDATE SET channel_id = excluded.channel_id,
        message_id = excluded.message_id, posted_at = excluded.posted_at, burst_id = excluded.burst_id`;
  }

  async sealBurst(burstId: number): Promise<number[]> {
    // Its own statement, committed before the leads are read: it waits for an intake adding to the
    // burst to commit (that intake holds the row), and any intake after it sees the seal.
    await this.prisma.$executeRaw`UPDATE card_burst SET sealed_at = coalesce(sealed_at, now()) WHERE id = ${burstId}`;
    return this.burstLeads(burstId);
  }

  async recent(messenger: string, channelId: string, limit: number): Promise<ChannelMessage[]> {
    const rows = await this.prisma.$queryRaw<{ message_id: string; lead_id: number }[]>`
      SELECT message_id, min(lead_id) AS lead_id FROM lead_post
       WHERE messenger = ${messenger} AND channel_id = ${channelId}
       GROUP BY message_id ORDER BY max(posted_at) DESC, min(lead_id) DESC LIMIT ${limit}`;
    return rows.reverse().map((r) => ({ messageId: r.message_id, leadId: Number(r.lead_id) }));
  }

  async burstLeads(burstId: number): Promise<number[]> {
    const rows = await this.prisma.lead.findMany({
      where: { cardBurstId: burstId },
      select: { id: true },
      orderBy: { id: 'asc' },
    });
    return rows.map((r) => r.id);
  }
}

/** How an owned lead's owner got it, as its row keeps it (null on leads taken before it was kept). */
function takenOf(lead: { takenHow: string | null; takenByName: string | null }): LeadCardData['taken'] {
  if (lead.takenHow === 'claimed') return { how: 'claimed' };
  if (lead.takenHow === 'assigned') return { how: 'assigned', by: lead.takenByName };
  return undefined;
}
