import type { Lead, Member } from '../../domain/leads/lead.js';
import type { LeadChange, LeadTx } from '../../domain/leads/lead-store.js';
import type { Identity } from '../../domain/members/identity.js';
import { DELIVERY_DELAY_MS, type Notification, notificationSubject } from '../../domain/notifications/notification.js';
import { Prisma } from '../../generated/prisma/client.js';
import {
  INSERT_COLUMNS,
  INSERT_NAMES,
  identityJoin,
  LEAD_COLUMNS,
  type LeadRow,
  MEMBER_COLUMNS,
  type MemberRow,
  type Tx,
  toLead,
  toMember,
} from './rows.js';

/**
 * The lead's own port (LeadTx) in one database transaction, and what every capability's rows
 * share: the transaction's client and the writes buffered until \`flush\`. Each capability adds
 * its port as a mixin over this class (claim.repository.ts, sla.repository.ts…).
 */
export class LeadRows implements LeadTx {
  protected readonly pending: { notification: Notification; at: Date; sinks: readonly string[] }[] = [];
  protected readonly newLeads: Record<string, unknown>[] = [];
  protected readonly newEvents: { lead_id: number; team_id: string; action: string; reason: string; at: Date }[] = [];
  protected readonly newAlerts: { lead_id: number; member_id: string; at: Date }[] = [];

  constructor(
    protected readonly tx: Tx,
    /** Each queued notification becomes one outbox row per messenger. */
    protected readonly messengers: readonly string[],
  ) {}

  get enqueued(): number {
    return this.pending.length;
  }

  async findLead(leadId: number, opts?: { forUpdate?: boolean }): Promise<Lead | null> {
    const lock = opts?.forUpdate ? Prisma.raw('FOR UPDATE') : Prisma.empty;
    const [row] = await this.tx.$queryRaw<LeadRow[]>`SELECT ${LEAD_COLUMNS} FROM lead WHERE id = ${leadId} ${lock}`;
    return row ? toLead(row) : null;
  }

  async findLeadByExternalId(teamId: string, externalId: string): Promise<Lead | null> {
    const [row] = await this.tx.$queryRaw<LeadRow[]>`
      SELECT ${LEAD_COLUMNS} FROM lead WHERE team_id = ${teamId} AND external_id = ${externalId}
       ORDER BY status = 'merged', id LIMIT 1 FOR UPDATE`;
    return row ? toLead(row) : null;
  }

  async findMember(memberId: string): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.id = ${memberId}::uuid`;
    return row ? toMember(row) : null;
  }

  async currentOwner(leadId: number): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM lead l JOIN member m ON m.id = l.owner_id WHERE l.id = ${leadId}`;
    return row ? toMember(row) : null;
  }

  async findMemberByIdentity(teamId: string, who: Identity): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m ${identityJoin(who)} AND i.team_id = ${teamId} LIMIT 1`;
    return row ? toMember(row) : null;
  }

  async membershipsOf(who: Identity): Promise<Member[]> {
    const rows = await this.tx.$queryRaw<MemberRow[]>`
      SELECT DISTINCT ${MEMBER_COLUMNS} FROM member m ${identityJoin(who)} ORDER BY "teamId"`;
    return rows.map(toMember);
  }

  async markRequestHandled(key: string, at: Date): Promise<boolean> {
    const rows = await this.tx.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_key (scope, key, request_hash, created_at) VALUES ('request', ${key}, '', ${at})
      ON CONFLICT DO NOTHING RETURNING key`;
    return rows.length === 1;
  }

  async transition(change: LeadChange): Promise<boolean> {
    // The conditional update and its audit row in one statement: no row, no event.
    const rows = await this.tx.$queryRaw<{ id: bigint }[]>`
      WITH changed AS (${leadUpdate(change)} RETURNING id, team_id AS "teamId")
      ${eventInsert(change)} RETURNING id`;
    return rows.length === 1;
  }

  async memberNames(memberIds: readonly string[]): Promise<Map<string, string>> {
    if (memberIds.length === 0) return new Map();
    const rows = await this.tx.$queryRaw<{ id: string; displayName: string }[]>`
      SELECT id::text AS id, display_name AS "displayName" FROM member WHERE id = ANY(${[...memberIds]}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  async managersOf(teamId: string): Promise<Member[]> {
    const rows = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m
       WHERE m.team_id = ${teamId} AND m.active AND m.role IN ('manager', 'admin') ORDER BY m.display_name`;
    return rows.map(toMember);
  }

  async teamMembers(teamId: string): Promise<Member[]> {
    const rows = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m WHERE m.team_id = ${teamId} ORDER BY m.display_name`;
    return rows.map(toMember);
  }

  async enqueue(notification: Notification, at: Date, sinks?: readonly string[]): Promise<void> {
    this.pending.push({ notification, at, sinks: sinks ?? this.messengers });
  }

  /**
   * Writes what intake and notifications queued (new leads, their audit rows, outbox messages) in
   * one statement at the end of the transaction: one round trip instead of three. The foreign keys
   * from events to new leads are checked at the end of that statement, when both are in.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0 && this.newLeads.length === 0 && this.newEvents.length === 0) return;
    const outbox = outboxRows(this.pending);
    await this.tx.$executeRaw`
      WITH new_leads AS (
        INSERT INTO lead (${INSERT_NAMES})
        SELECT ${INSERT_NAMES} FROM jsonb_to_recordset(${JSON.stringify(this.newLeads)}::jsonb) AS x(${Prisma.raw(INSERT_COLUMNS)})
      ), new_readings AS (
        INSERT INTO lead_phone_reading (team_id, phone, lead_id)
        SELECT DISTINCT x.team_id, p.phone, x.id
          FROM jsonb_to_recordset(${JSON.stringify(this.newLeads)}::jsonb) AS x(id int, team_id text, phone_alts text[])
         CROSS JOIN LATERAL unnest(x.phone_alts) AS p(phone)
      ), new_events AS (
        INSERT INTO lead_event (lead_id, team_id, action, actor_kind, reason, at)
        SELECT lead_id, team_id, action, 'system', reason, at
          FROM jsonb_to_recordset(${JSON.stringify(this.newEvents)}::jsonb)
               AS x(lead_id int, team_id text, action text, reason text, at timestamptz)
      ), new_alerts AS (
        INSERT INTO lead_alert (lead_id, member_id, at)
        SELECT lead_id, member_id, at
          FROM jsonb_to_recordset(${JSON.stringify(this.newAlerts)}::jsonb) AS x(lead_id int, member_id uuid, at timestamptz)
      )
      ${outboxInsert(outbox)}`;
    this.newLeads.length = 0;
    this.newEvents.length = 0;
    this.newAlerts.length = 0;
  }

  /**
   * One step of a deadline, once: marks up to `limit` owned leads whose step time (`startsAt`) has
   * come and whose next time (`endsAt`) has not, skipping leads another sweep holds. The reminder,
   * the escalation and the conversion warning are this one statement over their own columns.
   */
  protected async markOnce(
    columns: { mark: string; startsAt: string; endsAt: string },
    now: Date,
    limit: number,
  ): Promise<{ leadId: number; teamId: string; ownerId: string; endsAt: Date }[]> {
    const [mark, startsAt, endsAt] = [columns.mark, columns.startsAt, columns.endsAt].map((c) => Prisma.raw(c));
    const rows = await this.tx.$queryRaw<{ id: number; team_id: string; owner_id: string; ends_at: Date }[]>`
      WITH due AS (
        SELECT id FROM lead
         WHERE status = 'owned' AND ${mark} IS NULL AND ${startsAt} <= ${now} AND ${endsAt} > ${now}
         ORDER BY ${startsAt} LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      )
      UPDATE lead l SET ${mark} = ${now} FROM due WHERE l.id = due.id AND l.${mark} IS NULL
      RETURNING l.id, l.team_id, l.owner_id, l.${endsAt} AS ends_at`;
    return rows.map((r) => ({ leadId: r.id, teamId: r.team_id, ownerId: r.owner_id, endsAt: r.ends_at }));
  }
}

/**
 * A planned move as one conditional UPDATE of the lead (no RETURNING): it changes the row only if
 * the lead is still where the move starts from, and `guard` holds.
 */
export function leadUpdate(change: LeadChange, guard: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  const { from, to, reached, deadline } = change.transition;
  if (deadline === 'restart' && !change.window) throw new Error('a restarted deadline needs its window');
  const dueAt = change.window?.dueAt ?? null;
  const remindAt = change.window?.remindAt ?? null;
  const reclaimAt = change.window ? (change.window.reclaimAt ?? change.window.dueAt) : null;
  const convertDueAt = change.conversion?.dueAt ?? null;
  const convertWarnAt = change.conversion?.warnAt ?? null;
  const stamp = (stage: string, column: string) =>
    Prisma.sql`${Prisma.raw(column)} = CASE WHEN ${reached.includes(stage as never)} THEN COALESCE(${Prisma.raw(column)}, ${change.at}) ELSE ${Prisma.raw(column)} END`;
  const settles = change.duplicateOfId !== undefined;
  return Prisma.sql`
        UPDATE lead
           SET status = ${to.status}, stage = ${to.stage}, owner_id = ${to.ownerId}::uuid,
               taken_how = CASE WHEN ${to.ownerId}::uuid IS NULL THEN NULL
                                WHEN owner_id IS DISTINCT FROM ${to.ownerId}::uuid
                                  THEN CASE ${change.action} WHEN 'claimed' THEN 'claimed' WHEN 'assigned' THEN 'assigned' END
                                ELSE taken_how END,
               taken_by_name = CASE WHEN ${to.ownerId}::uuid IS NULL THEN NULL
                                    WHEN owner_id IS DISTINCT FROM ${to.ownerId}::uuid
                                      THEN (SELECT display_name FROM member WHERE id = ${change.actorId}::uuid AND ${change.action} = 'assigned')
                                    ELSE taken_by_name END,
               owned_since = CASE WHEN ${to.ownerId}::uuid IS NULL THEN NULL
                                  WHEN owner_id IS DISTINCT FROM ${to.ownerId}::uuid THEN ${change.at}
                                  ELSE owned_since END,
               first_owned_at = CASE WHEN ${to.ownerId}::uuid IS NULL THEN first_owned_at
                                     ELSE COALESCE(first_owned_at, ${change.at}) END,
               follow_up_due_at = CASE ${deadline} WHEN 'keep' THEN follow_up_due_at ELSE ${dueAt}::timestamptz END,
               remind_at = CASE ${deadline} WHEN 'keep' THEN remind_at ELSE ${remindAt}::timestamptz END,
               reminder_sent_at = CASE ${deadline} WHEN 'keep' THEN reminder_sent_at ELSE NULL END,
               reclaim_at = CASE ${deadline} WHEN 'keep' THEN reclaim_at ELSE ${reclaimAt}::timestamptz END,
               escalated_at = CASE ${deadline} WHEN 'keep' THEN escalated_at ELSE NULL END,
               extended_ms = CASE ${deadline} WHEN 'keep' THEN extended_ms ELSE 0 END,
               convert_due_at = CASE WHEN ${to.status} <> 'owned' THEN NULL
                                     WHEN owner_id IS DISTINCT FROM ${to.ownerId}::uuid THEN ${convertDueAt}::timestamptz
                                     ELSE convert_due_at END,
               convert_warn_at = CASE WHEN ${to.status} <> 'owned' THEN NULL
                                      WHEN owner_id IS DISTINCT FROM ${to.ownerId}::uuid THEN ${convertWarnAt}::timestamptz
                                      ELSE convert_warn_at END,
               convert_warned_at = CASE WHEN ${to.status} <> 'owned' OR owner_id IS DISTINCT FROM ${to.ownerId}::uuid THEN NULL
                                        ELSE convert_warned_at END,
               ${stamp('contacted', 'contacted_at')}, ${stamp('qualified', 'qualified_at')},
               ${stamp('converted', 'converted_at')},
               closed_at = CASE WHEN ${to.status} = 'closed' AND ${to.stage} <> 'converted' THEN ${change.at}::timestamptz END,
               close_reason = CASE WHEN ${to.status} = 'closed' THEN ${change.closeReason ?? null} END,
               duplicate_of_id = CASE WHEN ${settles} THEN ${change.duplicateOfId ?? null}::int ELSE duplicate_of_id END,
               duplicate_due_at = CASE WHEN ${settles} THEN NULL ELSE duplicate_due_at END,
               updated_at = ${change.at}
         WHERE id = ${change.leadId} AND status = ${from.status} AND stage = ${from.stage}
           AND owner_id IS NOT DISTINCT FROM ${from.ownerId}::uuid AND ${guard}`;
}

/** The move's audit row, for each row of a `changed` CTE that returns `id` and `"teamId"`. */
export function eventInsert(change: LeadChange): Prisma.Sql {
  const { from, to } = change.transition;
  return Prisma.sql`
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, from_owner_id, to_owner_id, from_stage, to_stage, reason, at)
      SELECT id, "teamId", ${change.action}, ${change.actorId}::uuid, ${change.actorId ? 'member' : 'system'},
             ${from.ownerId}::uuid, ${to.ownerId}::uuid, ${from.stage}, ${to.stage}, ${change.reason}, ${change.at}
        FROM changed`;
}

/** Queued notifications as outbox rows, one per messenger, in the jsonb shape `outboxInsert` reads. */
export function outboxRows(pending: readonly { notification: Notification; at: Date; sinks: readonly string[] }[]) {
  return pending.flatMap(({ notification, at, sinks }, n) =>
    sinks.map((sink) => ({
      n,
      sink,
      kind: notification.kind,
      subject: notificationSubject(notification),
      payload: notification,
      at,
      available: new Date(at.getTime() + (DELIVERY_DELAY_MS[notification.kind] ?? 0)),
    })),
  );
}

/** Inserts `outboxRows` in the order they were queued, if `when` holds. */
export function outboxInsert(rows: ReturnType<typeof outboxRows>, when: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`
      INSERT INTO outbox_message (sink, kind, order_key, payload, created_at, available_at)
      SELECT x.sink, x.kind, x.sink || ':' || x.subject, x.payload, now(), x.available
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
             AS x(n int, sink text, kind text, subject text, payload jsonb, at timestamptz, available timestamptz)
       WHERE ${when}
       ORDER BY x.sink, x.n`;
}

/** What a capability's mixin extends: the rows class, or one already extended by another mixin. */
// biome-ignore lint/suspicious/noExplicitAny: TypeScript's mixin pattern needs a constructor of any[].
export type TxMixinBase = new (...args: any[]) => LeadRows;
