import type { FieldProblem } from '../../domain/intake/field-problem.js';
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
  Priority,
  Role,
  ScoreLine,
  Signals,
} from '../../domain/leads/lead.js';
import { ANY_TENANT, type Identity } from '../../domain/members/identity.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

export type Tx = Prisma.TransactionClient;
export type LeadRow = Awaited<ReturnType<PrismaClient['lead']['findUniqueOrThrow']>>;
export type MemberRow = Awaited<ReturnType<PrismaClient['member']['findUniqueOrThrow']>>;

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
export const MEMBER_COLUMNS = Prisma.raw(
  'm.id::text AS "id", m.team_id AS "teamId", m.display_name AS "displayName", ' +
    'm.role, m.locale, m.time_zone AS "timeZone", m.active, m.paused_at AS "pausedAt", m.paused_until AS "pausedUntil", m.updated_at AS "updatedAt"',
);
export const LEAD_COLUMNS = Prisma.raw(
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
export function identityJoin(who: Identity): Prisma.Sql {
  return Prisma.sql`JOIN member_identity i ON i.member_id = m.id
    WHERE i.messenger = ${who.messenger} AND i.external_id = ${who.externalId} AND i.tenant IN (${who.tenant}, ${ANY_TENANT})`;
}

/**
 * The open leads of the same company in a lead's team, shown on its card: five at most, by id, each
 * with its owner's name. Given as SQL so the card's read and the claim's write say it alike.
 */
export function relatedLeads(lead: { id: Prisma.Sql; teamId: Prisma.Sql; companyKey: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`SELECT x.id, x.status, om.display_name AS "ownerName"
      FROM lead x LEFT JOIN member om ON om.id = x.owner_id
     WHERE x.team_id = ${lead.teamId} AND x.company_key = ${lead.companyKey} AND x.id <> ${lead.id}
       AND x.status IN ('pooled', 'owned')
     ORDER BY x.id LIMIT 5`;
}

/** The lead columns an intake writes, as jsonb_to_recordset reads them. */
export const INSERT_COLUMNS =
  'id int, team_id text, status text, type text, name text, company text, title text, email text, phone text, phone_ext text, ' +
  'region text, industry text, company_size text, need text, budget_min numeric, budget_max numeric, ' +
  'budget_currency text, decision_role text, decision_maker text, decision_process text, notes text, source text, ' +
  'sub_source text, campaign text, channel text, external_id text, signals jsonb, attributes jsonb, name_key text, ' +
  'company_key text, fingerprint text, grade text, score int, priority text, score_detail jsonb, ' +
  'duplicate_of_id int, duplicate_due_at timestamptz, card_burst_id int, pool_id text, keys_version int, ' +
  'field_warnings jsonb, core_key text, loose_key text, match_on text, match_possible boolean, ' +
  'created_at timestamptz, updated_at timestamptz';

export const INSERT_NAMES = Prisma.raw(
  INSERT_COLUMNS.split(', ')
    .map((c) => c.split(' ')[0])
    .join(', '),
);
