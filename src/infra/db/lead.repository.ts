import { createHash } from 'node:crypto';
import { MESSENGERS } from '../../config/teams-schema.js';
import type { VisibleScope } from '../../domain/access/access-policy.js';
import type { FieldProblem } from '../../domain/intake/field-problem.js';
import type {
  CardWindow,
  DedupKey,
  IdempotencyClaim,
  IntakeEvent,
  IntakeStore,
  IntakeTx,
  MatchCandidate,
  NewLeadRow,
  StoredResponse,
} from '../../domain/intake/intake-store.js';
import { MATCH_KEYS_VERSION } from '../../domain/intake/normalize.js';
import type {
  Attributes,
  DecisionRole,
  Grade,
  Lead,
  LeadStage,
  LeadStatus,
  LeadType,
  Locale,
  Member,
  MemberPause,
  Priority,
  Role,
  ScoreLine,
  Signals,
} from '../../domain/leads/lead.js';
import type {
  ClaimCounters,
  ClaimPeek,
  LeadChange,
  LeadSearch,
  LeadStore,
  LeadTx,
  LeadWithOwner,
  PoolMemberStats,
} from '../../domain/leads/lead-store.js';
import { ANY_TENANT, type Identity } from '../../domain/members/identity.js';
import { DELIVERY_DELAY_MS, type Notification, notificationSubject } from '../../domain/notifications/notification.js';
import type { ScoreResult } from '../../domain/scoring/score-rules.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

type Tx = Prisma.TransactionClient;
type LeadRow = Awaited<ReturnType<PrismaClient['lead']['findUniqueOrThrow']>>;
type MemberRow = Awaited<ReturnType<PrismaClient['member']['findUniqueOrThrow']>>;

export function toLead(row: LeadRow): Lead {
  const { budgetMin, budgetMax, budgetCurrency, nameKey: _n, fingerprint: _f, updatedAt: _u, ...rest } = row;
  const amount = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    ...rest,
    status: row.status as LeadStatus,
    stage: row.stage as LeadStage,
    type: row.type as LeadType,
    decisionRole: row.decisionRole as DecisionRole | null,
    grade: row.grade as Grade,
    priority: row.priority as Priority,
    budget: budgetCurrency ? { min: amount(budgetMin), max: amount(budgetMax), currency: budgetCurrency } : null,
    signals: (row.signals ?? {}) as Signals,
    attributes: (row.attributes ?? {}) as Attributes,
    scoreDetail: (row.scoreDetail ?? []) as unknown as ScoreLine[],
    fieldWarnings: (row.fieldWarnings ?? []) as unknown as FieldProblem[],
  };
}

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    teamId: row.teamId,
    displayName: row.displayName,
    role: row.role as Role,
    locale: row.locale as Locale,
    ...(row.timeZone ? { timeZone: row.timeZone } : {}),
    active: row.active,
    pause: row.pausedAt ? { since: row.pausedAt, until: row.pausedUntil } : null,
  };
}

// Raw queries on the hot path select columns under the model's field names, so one mapper fits
// both Prisma rows and raw rows.
const MEMBER_COLUMNS = Prisma.raw(
  'm.id::text AS "id", m.team_id AS "teamId", m.display_name AS "displayName", ' +
    'm.role, m.locale, m.time_zone AS "timeZone", m.active, m.paused_at AS "pausedAt", m.paused_until AS "pausedUntil", m.updated_at AS "updatedAt"',
);
const LEAD_COLUMNS = Prisma.raw(
  'id, team_id AS "teamId", status, stage, type, name, company, title, email, phone, phone_ext AS "phoneExt", region, industry, ' +
    'company_size AS "companySize", need, budget_min AS "budgetMin", budget_max AS "budgetMax", ' +
    'budget_currency AS "budgetCurrency", decision_role AS "decisionRole", decision_maker AS "decisionMaker", ' +
    'decision_process AS "decisionProcess", notes, source, sub_source AS "subSource", campaign, channel, ' +
    'external_id AS "externalId", signals, attributes, name_key AS "nameKey", company_key AS "companyKey", ' +
    'fingerprint, grade, score, priority, score_detail AS "scoreDetail", duplicate_of_id AS "duplicateOfId", ' +
    'duplicate_due_at AS "duplicateDueAt", card_burst_id AS "cardBurstId", pool_id AS "poolId", ' +
    'field_warnings AS "fieldWarnings", match_on AS "matchOn", match_possible AS "matchPossible", ' +
    'owner_id::text AS "ownerId", owned_since AS "ownedSince", first_owned_at AS "firstOwnedAt", follow_up_due_at AS "followUpDueAt", ' +
    'remind_at AS "remindAt", reminder_sent_at AS "reminderSentAt", contacted_at AS "contactedAt", ' +
    'qualified_at AS "qualifiedAt", converted_at AS "convertedAt", closed_at AS "closedAt", ' +
    'close_reason AS "closeReason", created_at AS "createdAt", updated_at AS "updatedAt"',
);

/** Joins a member to the identity `who`; a stored tenant of '' stands for any tenant (see ANY_TENANT). */
function identityJoin(who: Identity): Prisma.Sql {
  return Prisma.sql`JOIN member_identity i ON i.member_id = m.id
    WHERE i.messenger = ${who.messenger} AND i.external_id = ${who.externalId} AND i.tenant IN (${who.tenant}, ${ANY_TENANT})`;
}

/** A 64-bit advisory lock id per dedup key. */
function lockId(key: DedupKey): bigint {
  return createHash('sha256').update(`${key.teamId}\u001f${key.kind}\u001f${key.value}`).digest().readBigInt64BE(0);
}

/** The lead columns an intake writes, as jsonb_to_recordset reads them. */
const INSERT_COLUMNS =
  'id int, team_id text, status text, type text, name text, company text, title text, email text, phone text, phone_ext text, ' +
  'region text, industry text, company_size text, need text, budget_min numeric, budget_max numeric, ' +
  'budget_currency text, decision_role text, decision_maker text, decision_process text, notes text, source text, ' +
  'sub_source text, campaign text, channel text, external_id text, signals jsonb, attributes jsonb, name_key text, ' +
  'company_key text, fingerprint text, grade text, score int, priority text, score_detail jsonb, ' +
  'duplicate_of_id int, duplicate_due_at timestamptz, card_burst_id int, pool_id text, keys_version int, ' +
  'field_warnings jsonb, core_key text, loose_key text, match_on text, match_possible boolean, ' +
  'created_at timestamptz, updated_at timestamptz';
const INSERT_NAMES = Prisma.raw(
  INSERT_COLUMNS.split(', ')
    .map((c) => c.split(' ')[0])
    .join(', '),
);

function insertRecord(row: NewLeadRow, at: Date): Record<string, unknown> {
  return {
    id: row.id,
    team_id: row.teamId,
    status: row.status,
    type: row.type,
    name: row.name,
    company: row.company,
    title: row.title,
    email: row.email,
    phone: row.phone,
    phone_ext: row.phoneExt,
    // Not a lead column: read by the new_readings insert beside it (lead_phone_reading).
    phone_alts: row.phoneAlts,
    region: row.region,
    industry: row.industry,
    company_size: row.companySize,
    need: row.need,
    budget_min: row.budget?.min ?? null,
    budget_max: row.budget?.max ?? null,
    budget_currency: row.budget?.currency ?? null,
    decision_role: row.decisionRole,
    decision_maker: row.decisionMaker,
    decision_process: row.decisionProcess,
    notes: row.notes,
    source: row.source,
    sub_source: row.subSource,
    campaign: row.campaign,
    channel: row.channel,
    external_id: row.externalId,
    signals: row.signals,
    attributes: row.attributes,
    name_key: row.nameKey,
    company_key: row.companyKey,
    keys_version: MATCH_KEYS_VERSION,
    core_key: row.coreKey,
    loose_key: row.looseKey,
    match_on: row.matchOn ?? null,
    match_possible: row.matchPossible ?? false,
    field_warnings: row.warnings.length > 0 ? row.warnings : null,
    fingerprint: row.fingerprint,
    grade: row.scoring.grade,
    score: row.scoring.score,
    priority: row.scoring.priority,
    score_detail: row.scoring.detail,
    duplicate_of_id: row.duplicateOfId,
    duplicate_due_at: row.duplicateDueAt,
    card_burst_id: row.cardBurstId ?? null,
    pool_id: row.poolId ?? null,
    created_at: at,
    updated_at: at,
  };
}

const pairs = (keys: readonly DedupKey[], kind: DedupKey['kind']) => {
  const of = keys.filter((k) => k.kind === kind);
  return { teams: of.map((k) => k.teamId), values: of.map((k) => k.value) };
};

class PrismaLeadTx implements LeadTx, IntakeTx {
  private readonly pending: { notification: Notification; at: Date; sinks: readonly string[] }[] = [];
  private readonly newLeads: Record<string, unknown>[] = [];
  private readonly newEvents: { lead_id: number; team_id: string; action: string; reason: string; at: Date }[] = [];
  private readonly newAlerts: { lead_id: number; member_id: string; at: Date }[] = [];

  constructor(
    private readonly tx: Tx,
    /** Each queued notification becomes one outbox row per messenger. */
    private readonly messengers: readonly string[],
  ) {}

  get enqueued(): number {
    return this.pending.length;
  }

  lockMemberByIdentity(teamId: string, who: Identity): Promise<Member | null> {
    return this.memberByIdentity(teamId, who, Prisma.raw('FOR UPDATE OF m'));
  }

  findMemberByIdentity(teamId: string, who: Identity): Promise<Member | null> {
    return this.memberByIdentity(teamId, who, Prisma.empty);
  }

  async membershipsOf(who: Identity): Promise<Member[]> {
    const rows = await this.tx.$queryRaw<MemberRow[]>`
      SELECT DISTINCT ${MEMBER_COLUMNS} FROM member m ${identityJoin(who)} ORDER BY "teamId"`;
    return rows.map(toMember);
  }

  private async memberByIdentity(teamId: string, who: Identity, lock: Prisma.Sql): Promise<Member | null> {
    const [row] = await this.tx.$queryRaw<MemberRow[]>`
      SELECT ${MEMBER_COLUMNS} FROM member m ${identityJoin(who)} AND i.team_id = ${teamId} LIMIT 1 ${lock}`;
    return row ? toMember(row) : null;
  }

  async markRequestHandled(key: string, at: Date): Promise<boolean> {
    const rows = await this.tx.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_key (scope, key, request_hash, created_at) VALUES ('request', ${key}, '', ${at})
      ON CONFLICT DO NOTHING RETURNING key`;
    return rows.length === 1;
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

  async rescore(input: { lead: Lead; signals: Signals; scoring: ScoreResult; at: Date }): Promise<void> {
    const { lead, signals, scoring, at } = input;
    await this.tx.$executeRaw`
      WITH changed AS (
        UPDATE lead SET signals = ${JSON.stringify(signals)}::jsonb, score = ${scoring.score},
               priority = ${scoring.priority}, score_detail = ${JSON.stringify(scoring.detail)}::jsonb, updated_at = ${at}
         WHERE id = ${lead.id})
      INSERT INTO lead_event (lead_id, team_id, action, actor_kind, reason, at)
      VALUES (${lead.id}, ${lead.teamId}, 'rescored', 'system', ${`score ${lead.score}>${scoring.score}`}, ${at})`;
  }

  async claimCounters(leadId: number, memberId: string, dayStart: Date, now: Date): Promise<ClaimCounters> {
    const [row] = await this.tx.$queryRaw<{ banned_until: Date | null; claimed_today: number; held: number }[]>`
      SELECT
        (SELECT until FROM claim_ban WHERE lead_id = ${leadId} AND member_id = ${memberId}::uuid AND until > ${now}) AS banned_until,
        (SELECT count(*)::int FROM lead_event WHERE actor_id = ${memberId}::uuid AND action = 'claimed' AND at >= ${dayStart}) AS claimed_today,
        (SELECT count(*)::int FROM lead WHERE owner_id = ${memberId}::uuid AND status = 'owned') AS held`;
    return { bannedUntil: row?.banned_until ?? null, claimedToday: row?.claimed_today ?? 0, held: row?.held ?? 0 };
  }

  /**
   * Writes what intake and notifications queued (new leads, their audit rows, outbox messages) in
   * one statement at the end of the transaction: one round trip instead of three. The foreign keys
   * from events to new leads are checked at the end of that statement, when both are in.
   */
  async flush(): Promise<void> {
    if (this.pending.length === 0 && this.newLeads.length === 0 && this.newEvents.length === 0) return;
    const outbox = this.pending.flatMap(({ notification, at, sinks }, n) =>
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
      INSERT INTO outbox_message (sink, kind, order_key, payload, created_at, available_at)
      SELECT x.sink, x.kind, x.sink || ':' || x.subject, x.payload, now(), x.available
        FROM jsonb_to_recordset(${JSON.stringify(outbox)}::jsonb)
             AS x(n int, sink text, kind text, subject text, payload jsonb, at timestamptz, available timestamptz)
       ORDER BY x.sink, x.n`;
    this.newLeads.length = 0;
    this.newEvents.length = 0;
    this.newAlerts.length = 0;
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

  async transition(change: LeadChange): Promise<boolean> {
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
    // The conditional update and its audit row in one statement: no row, no event.
    const rows = await this.tx.$queryRaw<{ id: bigint }[]>`
      WITH changed AS (
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
           AND owner_id IS NOT DISTINCT FROM ${from.ownerId}::uuid
        RETURNING id, team_id
      )
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, from_owner_id, to_owner_id, from_stage, to_stage, reason, at)
      SELECT id, team_id, ${change.action}, ${change.actorId}::uuid, ${change.actorId ? 'member' : 'system'},
             ${from.ownerId}::uuid, ${to.ownerId}::uuid, ${from.stage}, ${to.stage}, ${change.reason}, ${change.at}
        FROM changed
      RETURNING id`;
    return rows.length === 1;
  }

  /**
   * One step of a deadline, once: marks up to `limit` owned leads whose step time (`startsAt`) has
   * come and whose next time (`endsAt`) has not, skipping leads another sweep holds. The reminder,
   * the escalation and the conversion warning are this one statement over their own columns.
   */
  private async markOnce(
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

  async remindDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]> {
    const columns = { mark: 'reminder_sent_at', startsAt: 'remind_at', endsAt: 'follow_up_due_at' };
    return (await this.markOnce(columns, now, limit)).map((m) => ({
      leadId: m.leadId,
      ownerId: m.ownerId,
      dueAt: m.endsAt,
    }));
  }

  async pendingExtension(leadId: number): Promise<{ id: number; memberId: string; reason: string } | null> {
    const row = await this.tx.extensionRequest.findFirst({
      where: { leadId, status: 'pending' },
      orderBy: { id: 'desc' },
    });
    return row ? { id: row.id, memberId: row.memberId, reason: row.reason } : null;
  }

  async createExtensionRequest(input: { leadId: number; memberId: string; reason: string; at: Date }): Promise<number> {
    const row = await this.tx.extensionRequest.create({
      data: { leadId: input.leadId, memberId: input.memberId, reason: input.reason, requestedAt: input.at },
    });
    return row.id;
  }

  async decideExtension(input: Parameters<LeadTx['decideExtension']>[0]): Promise<void> {
    await this.tx.extensionRequest.update({
      where: { id: input.id },
      data: {
        status: input.status,
        decidedBy: input.decidedBy,
        decidedAt: input.at,
        dueBefore: input.dueBefore ?? null,
        dueAfter: input.dueAfter ?? null,
      },
    });
  }

  async extendDeadline(input: Parameters<LeadTx['extendDeadline']>[0]): Promise<boolean> {
    const { window } = input;
    const rows = await this.tx.$queryRaw<{ id: bigint }[]>`
      WITH changed AS (
        UPDATE lead
           SET follow_up_due_at = ${window.dueAt}, remind_at = ${window.remindAt}, reclaim_at = ${window.reclaimAt},
               reminder_sent_at = NULL, escalated_at = NULL, extended_ms = extended_ms + ${input.byMs},
               updated_at = ${input.at}
         WHERE id = ${input.leadId} AND status = 'owned' AND owner_id = ${input.ownerId}::uuid
           AND extended_ms + ${input.byMs} <= ${input.maxMs}
        RETURNING id, team_id, owner_id, stage
      )
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, from_owner_id, to_owner_id, from_stage, to_stage, reason, at)
      SELECT id, team_id, 'extended', ${input.actorId}::uuid, 'member', owner_id, owner_id, stage, stage, ${input.reason}, ${input.at}
        FROM changed
      RETURNING id`;
    return rows.length === 1;
  }

  async escalateOverdue(
    now: Date,
    limit: number,
  ): Promise<{ leadId: number; teamId: string; ownerId: string; reclaimAt: Date }[]> {
    const columns = { mark: 'escalated_at', startsAt: 'follow_up_due_at', endsAt: 'reclaim_at' };
    return (await this.markOnce(columns, now, limit)).map(({ endsAt, ...m }) => ({ ...m, reclaimAt: endsAt }));
  }

  async warnConversionDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]> {
    const columns = { mark: 'convert_warned_at', startsAt: 'convert_warn_at', endsAt: 'convert_due_at' };
    return (await this.markOnce(columns, now, limit)).map((m) => ({
      leadId: m.leadId,
      ownerId: m.ownerId,
      dueAt: m.endsAt,
    }));
  }

  /**
   * The reclaim move of the transition table (owned → pooled, stage kept, deadlines ended), for a
   * batch in one statement: locked with SKIP LOCKED so sweeps on several instances share the work
   * without waiting on each other, each with its audit row and the old owner's cooldown.
   */
  async reclaimBreached(
    now: Date,
    limit: number,
    cooldownMs: Readonly<Record<string, number>>,
    deadline: 'follow_up' | 'conversion' = 'follow_up',
  ): Promise<{ leadId: number; teamId: string; ownerId: string; until: Date }[]> {
    const teams = Object.keys(cooldownMs);
    const ms = teams.map((t) => cooldownMs[t] ?? 0);
    // A missed follow-up is reclaimed at its reclaim time (the deadline plus the team's grace).
    const column = Prisma.raw(deadline === 'conversion' ? 'convert_due_at' : 'reclaim_at');
    const reason = deadline === 'conversion' ? 'conversion_deadline_passed' : 'follow_up_sla_breached';
    const rows = await this.tx.$queryRaw<{ id: number; team_id: string; owner_id: string; until: Date }[]>`
      WITH due AS (
        SELECT id, team_id, owner_id, stage FROM lead
         WHERE status = 'owned' AND ${column} <= ${now}
         ORDER BY ${column} LIMIT ${limit}
         FOR UPDATE SKIP LOCKED
      ), moved AS (
        UPDATE lead l
           SET status = 'pooled', owner_id = NULL, owned_since = NULL, follow_up_due_at = NULL, remind_at = NULL,
               reminder_sent_at = NULL, reclaim_at = NULL, escalated_at = NULL,
               convert_due_at = NULL, convert_warn_at = NULL, convert_warned_at = NULL,
               closed_at = NULL, close_reason = NULL, updated_at = ${now}
          FROM due WHERE l.id = due.id AND l.status = 'owned' AND l.owner_id IS NOT NULL
        RETURNING l.id, l.team_id, due.owner_id, due.stage
      ), events AS (
        INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, from_owner_id, to_owner_id, from_stage, to_stage, reason, at)
        SELECT id, team_id, 'reclaimed', NULL, 'system', owner_id, NULL, stage, stage, ${reason}, ${now}
          FROM moved
      ), banned AS (
        SELECT m.id, m.team_id, m.owner_id,
               ${now}::timestamptz + coalesce(c.ms, 0) * interval '1 millisecond' AS until
          FROM moved m LEFT JOIN unnest(${teams}::text[], ${ms}::bigint[]) AS c(team_id, ms) ON c.team_id = m.team_id
      ), bans AS (
        INSERT INTO claim_ban (lead_id, member_id, until) SELECT id, owner_id, until FROM banned
        ON CONFLICT (lead_id, member_id) DO UPDATE SET until = EXCLUDED.until
      )
      SELECT id, team_id, owner_id, until FROM banned`;
    return rows.map((r) => ({ leadId: r.id, teamId: r.team_id, ownerId: r.owner_id, until: r.until }));
  }

  async memberNames(memberIds: readonly string[]): Promise<Map<string, string>> {
    if (memberIds.length === 0) return new Map();
    const rows = await this.tx.member.findMany({
      where: { id: { in: [...memberIds] } },
      select: { id: true, displayName: true },
    });
    return new Map(rows.map((r) => [r.id, r.displayName]));
  }

  async recordFollowUp(input: Parameters<LeadTx['recordFollowUp']>[0]): Promise<void> {
    // The follow-up, and on the member's latest take of the lead the time of their first contact:
    // the reports read response times from that one indexed row instead of scanning follow-ups.
    await this.tx.$executeRaw`
      WITH added AS (
        INSERT INTO follow_up (lead_id, member_id, method, note, at, next_contact_at, outcome, next_step)
        VALUES (${input.leadId}, ${input.memberId}::uuid, ${input.method}, ${input.note}, ${input.at},
                ${input.nextContactAt}, ${input.outcome}, ${input.nextStep})
        RETURNING lead_id
      )
      UPDATE lead_event SET first_contact_at = ${input.at}
       WHERE id = (SELECT e.id FROM lead_event e
                    WHERE e.lead_id = ${input.leadId} AND e.action IN ('claimed', 'assigned')
                      AND e.to_owner_id = ${input.memberId}::uuid
                    ORDER BY e.at DESC, e.id DESC LIMIT 1)
         AND first_contact_at IS NULL AND EXISTS (SELECT 1 FROM added)`;
  }

  async lockKeys(keys: readonly DedupKey[]): Promise<void> {
    if (keys.length === 0) return;
    const ids = [...new Set(keys.map((k) => lockId(k).toString()))];
    // Always in ascending order, so two intakes sharing keys queue instead of deadlocking.
    await this.tx.$queryRaw`
      SELECT count(pg_advisory_xact_lock(k))::int AS n FROM (SELECT unnest(${ids}::bigint[]) AS k ORDER BY 1) s`;
  }

  async findMatches(keys: readonly DedupKey[]): Promise<MatchCandidate[]> {
    const ext = pairs(keys, 'external');
    const email = pairs(keys, 'email');
    const phone = pairs(keys, 'phone');
    const nc = keys.filter((k) => k.kind === 'name_company').map((k) => [k.teamId, ...k.value.split('|')]);
    const core = keys.filter((k) => k.kind === 'name_core').map((k) => [k.teamId, ...k.value.split('|')]);
    // One index probe per key: LATERAL keeps the plan a nested loop of index scans whatever the
    // planner guesses for the size of unnest().
    return this.tx.$queryRaw<MatchCandidate[]>`
      SELECT id, team_id AS "teamId", status, owner_id::text AS "ownerId", duplicate_of_id AS "duplicateOfId",
             fingerprint, external_id AS "externalId", email, phone, phone_ext AS "phoneExt",
             ARRAY(SELECT r.phone FROM lead_phone_reading r WHERE r.lead_id = lead.id) AS "phoneAlts",
             name_key AS "nameKey",
             company_key AS "companyKey", core_key AS "coreKey", loose_key AS "looseKey"
        FROM lead WHERE id IN (
          SELECT m.id FROM unnest(${ext.teams}::text[], ${ext.values}::text[]) k(t, v)
            CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND external_id = k.v) m
          UNION SELECT m.id FROM unnest(${email.teams}::text[], ${email.values}::text[]) k(t, v)
            CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND email = k.v) m
          UNION SELECT m.id FROM unnest(${phone.teams}::text[], ${phone.values}::text[]) k(t, v)
            CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND phone = k.v) m
          UNION SELECT m.id FROM unnest(${phone.teams}::text[], ${phone.values}::text[]) k(t, v)
            CROSS JOIN LATERAL (SELECT lead_id AS id FROM lead_phone_reading WHERE team_id = k.t AND phone = k.v) m
          UNION SELECT m.id FROM unnest(${nc.map((k) => k[0])}::text[], ${nc.map((k) => k[1])}::text[], ${nc.map((k) => k[2])}::text[]) k(t, n, c)
            CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND name_key = k.n AND company_key = k.c) m
          UNION SELECT m.id FROM unnest(${core.map((k) => k[0])}::text[], ${core.map((k) => k[1])}::text[], ${core.map((k) => k[2])}::text[]) k(t, n, c)
            CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND loose_key = k.n AND core_key = k.c) m)`;
  }

  async findCandidates(ids: readonly number[]): Promise<MatchCandidate[]> {
    if (ids.length === 0) return [];
    return this.tx.$queryRaw<MatchCandidate[]>`
      SELECT id, team_id AS "teamId", status, owner_id::text AS "ownerId", duplicate_of_id AS "duplicateOfId",
             fingerprint, external_id AS "externalId", email, phone, phone_ext AS "phoneExt",
             ARRAY(SELECT r.phone FROM lead_phone_reading r WHERE r.lead_id = lead.id) AS "phoneAlts",
             name_key AS "nameKey",
             company_key AS "companyKey", core_key AS "coreKey", loose_key AS "looseKey"
        FROM lead WHERE id = ANY(${[...ids]}::int[])`;
  }

  async nextLeadIds(count: number): Promise<number[]> {
    if (count === 0) return [];
    const rows = await this.tx.$queryRaw<{ id: number }[]>`
      SELECT nextval('lead_id_seq')::int AS id FROM generate_series(1, ${count}::int)`;
    return rows.map((r) => r.id);
  }

  async countCards(teamId: string, windowStart: Date, cards: number, listPool = ''): Promise<CardWindow> {
    // The upsert holds the window's row until commit: a concurrent intake of the team waits here.
    const [row] = await this.tx.$queryRaw<{ id: number; cards: number; sealed: boolean }[]>`
      INSERT INTO card_burst (team_id, list_pool, window_start, cards) VALUES (${teamId}, ${listPool}, ${windowStart}, ${cards})
      ON CONFLICT (team_id, list_pool, window_start) DO UPDATE SET cards = card_burst.cards + excluded.cards
      RETURNING id, cards, sealed_at IS NOT NULL AS sealed`;
    if (!row) throw new Error('card_burst upsert returned no row');
    return { burstId: row.id, before: row.cards - cards, sealed: row.sealed };
  }

  async deferBurst(burstId: number, at: Date): Promise<void> {
    // A summary a relay is sending (locked) is left alone: its seal waits for this intake's hold on
    // the window's row, so the leads gathered here are on it anyway.
    await this.tx.$executeRaw`
      UPDATE outbox_message SET available_at = ${at}
       WHERE kind = 'lead.burst' AND sent_at IS NULL AND dead_at IS NULL AND locked_until IS NULL
         AND (payload->>'burstId')::int = ${burstId}`;
  }

  /** Queued: written with the events and outbox messages by `flush`, before commit. */
  async insertLeads(rows: readonly NewLeadRow[], at: Date): Promise<void> {
    for (const row of rows) this.newLeads.push(insertRecord(row, at));
  }

  /** Queued, like `insertLeads`. */
  async recordAlerts(alerts: readonly { leadId: number; memberId: string }[], at: Date): Promise<void> {
    for (const a of alerts) this.newAlerts.push({ lead_id: a.leadId, member_id: a.memberId, at });
  }

  /** Queued, like `insertLeads`. */
  async recordEvents(events: readonly IntakeEvent[], at: Date): Promise<void> {
    for (const e of events)
      this.newEvents.push({ lead_id: e.leadId, team_id: e.teamId, action: e.action, reason: e.reason, at });
  }

  async claimIdempotencyKey(scope: string, key: string, requestHash: string, at: Date): Promise<IdempotencyClaim> {
    // A concurrent first request holds the row's unique slot: this insert waits for it to commit.
    const inserted = await this.tx.$queryRaw<{ key: string }[]>`
      INSERT INTO idempotency_key (scope, key, request_hash, created_at) VALUES (${scope}, ${key}, ${requestHash}, ${at})
      ON CONFLICT DO NOTHING RETURNING key`;
    if (inserted.length === 1) return { kind: 'new' };
    const row = await this.tx.idempotencyKey.findUniqueOrThrow({ where: { scope_key: { scope, key } } });
    if (row.requestHash !== requestHash) return { kind: 'conflict' };
    return { kind: 'replay', response: { status: row.statusCode ?? 200, body: row.response } };
  }

  async saveIdempotentResponse(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.tx.idempotencyKey.update({
      where: { scope_key: { scope, key } },
      data: { statusCode: response.status, response: response.body as Prisma.InputJsonValue },
    });
  }

  async claimDigest(run: Parameters<LeadTx['claimDigest']>[0]): Promise<'first' | 'claimed' | 'taken'> {
    // The count reads the table as it was before this insert: 0 means no earlier digest of this kind.
    const rows = await this.tx.$queryRaw<{ earlier: number }[]>`
      INSERT INTO digest_run (team_id, kind, period_key, due_at, sent_at, late)
      VALUES (${run.teamId}, ${run.kind}, ${run.periodKey}, ${run.dueAt}, ${run.at}, ${run.late})
      ON CONFLICT DO NOTHING
      RETURNING (SELECT count(*)::int FROM digest_run WHERE team_id = ${run.teamId} AND kind = ${run.kind}) AS earlier`;
    const [row] = rows;
    if (!row) return 'taken';
    return row.earlier === 0 ? 'first' : 'claimed';
  }

  async teamMembers(teamId: string): Promise<Member[]> {
    const rows = await this.tx.member.findMany({ where: { teamId }, orderBy: { displayName: 'asc' } });
    return rows.map(toMember);
  }

  async lockPool(teamId: string, poolId: string): Promise<void> {
    await this.tx
      .$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pool:${teamId}:${poolId}`}, 0))::text AS locked`;
  }

  async poolStats(input: {
    teamId: string;
    poolId: string;
    leadId: number;
    memberIds: readonly string[];
    dayStart: Date;
    now: Date;
  }): Promise<Map<string, PoolMemberStats>> {
    const ids = [...input.memberIds];
    // Each count grouped once over its index, not once per member: the day's events are read once
    // however many candidates there are.
    const rows = await this.tx.$queryRaw<
      { id: string; assigned: number; held: number; taken_today: number; banned_until: Date | null }[]
    >`
      WITH m AS (SELECT unnest(${ids}::uuid[]) AS id),
      shares AS (SELECT member_id AS id, assigned FROM pool_share
                  WHERE team_id = ${input.teamId} AND pool_id = ${input.poolId} AND member_id = ANY(${ids}::uuid[])),
      held AS (SELECT owner_id AS id, count(*)::int AS n FROM lead
                WHERE owner_id = ANY(${ids}::uuid[]) AND status = 'owned' GROUP BY owner_id),
      taken AS (SELECT to_owner_id AS id, count(*)::int AS n FROM lead_event
                 WHERE team_id = ${input.teamId} AND action IN ('claimed', 'assigned') AND at >= ${input.dayStart}
                   AND to_owner_id = ANY(${ids}::uuid[]) GROUP BY to_owner_id),
      bans AS (SELECT member_id AS id, max(until) AS until FROM claim_ban
                WHERE lead_id = ${input.leadId} AND until > ${input.now} GROUP BY member_id)
      SELECT m.id::text AS id, coalesce(s.assigned, 0) AS assigned, coalesce(h.n, 0) AS held,
             coalesce(t.n, 0) AS taken_today, b.until AS banned_until
        FROM m LEFT JOIN shares s ON s.id = m.id LEFT JOIN held h ON h.id = m.id
               LEFT JOIN taken t ON t.id = m.id LEFT JOIN bans b ON b.id = m.id`;
    return new Map(
      rows.map((r) => [
        r.id,
        { assigned: r.assigned, held: r.held, takenToday: r.taken_today, bannedUntil: r.banned_until },
      ]),
    );
  }

  async rankingRecords(
    teamId: string,
    memberIds: readonly string[],
    since: Date,
  ): Promise<Map<string, { conversions: number; followUps: number }>> {
    const ids = [...memberIds];
    const rows = await this.tx.$queryRaw<{ id: string; conversions: number; follow_ups: number }[]>`
      WITH m AS (SELECT unnest(${ids}::uuid[]) AS id),
      won AS (SELECT owner_id AS id, count(*)::int AS n FROM lead
               WHERE team_id = ${teamId} AND stage = 'converted' AND converted_at >= ${since}
                 AND owner_id = ANY(${ids}::uuid[]) GROUP BY owner_id),
      work AS (SELECT member_id AS id, count(*)::int AS n FROM follow_up
                WHERE member_id = ANY(${ids}::uuid[]) AND at >= ${since} GROUP BY member_id)
      SELECT m.id::text AS id, coalesce(w.n, 0) AS conversions, coalesce(f.n, 0) AS follow_ups
        FROM m LEFT JOIN won w ON w.id = m.id LEFT JOIN work f ON f.id = m.id`;
    return new Map(rows.map((r) => [r.id, { conversions: r.conversions, followUps: r.follow_ups }]));
  }

  async setLeadPool(input: { lead: Lead; poolId: string; actorId: string; at: Date }): Promise<void> {
    const { lead, poolId, actorId, at } = input;
    await this.tx.$executeRaw`UPDATE lead SET pool_id = ${poolId}, updated_at = ${at} WHERE id = ${lead.id}`;
    await this.tx.$executeRaw`
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, reason, at)
      VALUES (${lead.id}, ${lead.teamId}, 'pool_moved', ${actorId}::uuid, 'member', ${`${lead.poolId ?? 'default'}>${poolId}`}, ${at})`;
  }

  async takenToday(teamId: string, poolId: string | null, dayStart: Date): Promise<{ team: number; pool: number }> {
    const [row] = await this.tx.$queryRaw<{ team: number; pool: number }[]>`
      SELECT count(*)::int AS team, count(*) FILTER (WHERE l.pool_id = ${poolId})::int AS pool
        FROM lead_event e JOIN lead l ON l.id = e.lead_id
       WHERE e.team_id = ${teamId} AND e.action IN ('claimed', 'assigned') AND e.at >= ${dayStart}`;
    return { team: row?.team ?? 0, pool: row?.pool ?? 0 };
  }

  async recordPoolShare(
    teamId: string,
    poolId: string,
    raised: readonly { memberId: string; assigned: number }[],
    chosen: string,
  ): Promise<void> {
    const rows = [...raised.filter((r) => r.memberId !== chosen), ...raised.filter((r) => r.memberId === chosen)];
    for (const r of rows)
      await this.tx.$executeRaw`
        INSERT INTO pool_share (team_id, pool_id, member_id, assigned) VALUES (${teamId}, ${poolId}, ${r.memberId}::uuid, ${r.assigned})
        ON CONFLICT (team_id, pool_id, member_id) DO UPDATE SET assigned = greatest(pool_share.assigned, excluded.assigned)`;
    await this.tx.$executeRaw`
      INSERT INTO pool_share (team_id, pool_id, member_id, assigned) VALUES (${teamId}, ${poolId}, ${chosen}::uuid, 1)
      ON CONFLICT (team_id, pool_id, member_id) DO UPDATE SET assigned = pool_share.assigned + 1`;
  }

  async setPause(memberIds: readonly string[], pause: MemberPause | null): Promise<void> {
    await this.tx.member.updateMany({
      where: { id: { in: [...memberIds] } },
      data: { pausedAt: pause?.since ?? null, pausedUntil: pause?.until ?? null },
    });
  }

  async managersOf(teamId: string): Promise<Member[]> {
    const rows = await this.tx.member.findMany({
      where: { teamId, active: true, role: { in: ['manager', 'admin'] } },
      orderBy: { displayName: 'asc' },
    });
    return rows.map(toMember);
  }

  async enqueue(notification: Notification, at: Date, sinks?: readonly string[]): Promise<void> {
    this.pending.push({ notification, at, sinks: sinks ?? this.messengers });
  }

  async recordConversion(input: Parameters<LeadTx['recordConversion']>[0]): Promise<{
    customerId: number;
    customerName: string;
  }> {
    const { lead, deal, at } = input;
    // A same-company lead joins the customer that company became; the no-op update makes RETURNING
    // answer for an existing row too, and the unique key settles two conversions racing to create it.
    const [customer] = await this.tx.$queryRaw<{ id: number; name: string }[]>`
      INSERT INTO customer (team_id, name, company_key, created_at)
      VALUES (${lead.teamId}, ${lead.company ?? lead.name}, ${lead.companyKey}, ${at})
      ON CONFLICT (team_id, company_key) DO UPDATE SET name = customer.name
      RETURNING id, name`;
    if (!customer) throw new Error('customer upsert returned no row');
    await this.tx.contact.create({
      data: {
        customerId: customer.id,
        leadId: lead.id,
        name: lead.name,
        title: lead.title,
        email: lead.email,
        phone: lead.phone,
        createdAt: at,
      },
    });
    await this.tx.deal.create({
      data: {
        leadId: lead.id,
        customerId: customer.id,
        memberId: input.memberId,
        value: deal.value,
        currency: deal.currency,
        expectedClose: deal.expectedClose,
        wonAt: at,
      },
    });
    return { customerId: customer.id, customerName: customer.name };
  }
}

export interface LeadRepositoryOptions {
  /** Called after a transaction that queued notifications commits, to wake the outbox relay. */
  afterEnqueue?: () => void;
  /** The messengers notifications are written for; every supported one when not given. */
  messengers?: readonly string[];
}

export class PrismaLeadStore implements LeadStore, IntakeStore {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: LeadRepositoryOptions = {},
  ) {}

  intakeTransaction<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    return this.transaction(work as (tx: PrismaLeadTx) => Promise<T>);
  }

  async transaction<T>(work: (tx: PrismaLeadTx) => Promise<T>): Promise<T> {
    let leadTx: PrismaLeadTx | undefined;
    const result = await this.prisma.$transaction(
      async (tx) => {
        leadTx = new PrismaLeadTx(tx, this.options.messengers ?? MESSENGERS);
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

  async peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]> {
    const rows = await this.prisma.$queryRaw<(MemberRow & { n: bigint; active: boolean; owns: boolean })[]>`
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
      WHERE l.id = ${leadId} ORDER BY a.n`;
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
