import { formatLeadRef } from '../../domain/leads/lead.js';
import type {
  ChannelRow,
  FunnelCounts,
  PeriodLeadRow,
  ReportReader,
  ReportScope,
  RepRow,
  TrendDay,
} from '../../domain/reports/funnel.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
/** A percentile of milliseconds, rounded as the roll-ups round it. */
const msOrNull = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v)));

/** Milliseconds from a to b, as a double for percentile_cont (exact: times are kept to the millisecond). */
const msBetween = (a: Prisma.Sql, b: Prisma.Sql) => Prisma.sql`(extract(epoch FROM ${b} - ${a}) * 1000)::float8`;

/** Most leads first, then by source as code points: the same order whichever reader counted them. */
export function sortChannels(rows: ChannelRow[]): ChannelRow[] {
  return rows.sort((a, b) => b.leads - a.leads || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
}

/** Each team's follow-up SLA as a table the queries join: (team_id, sla). */
function slaTable(scope: ReportScope): Prisma.Sql {
  const teams = scope.teamIds;
  const ms = teams.map((t) => scope.followUpMs[t] ?? 0);
  return Prisma.sql`SELECT * FROM unnest(${teams}::text[], ${ms}::bigint[]) AS s(team_id, sla_ms)`;
}

/**
 * For a rep's own report, a lead is theirs when they took it (claimed, or were assigned it) at any
 * time, including leads reclaimed from them since: the same leads the manager's "by rep" counts.
 */
function takenByRep(scope: ReportScope, lead: Prisma.Sql): Prisma.Sql {
  if (!scope.ownerId) return Prisma.sql`true`;
  // From the rep's own takes (index on to_owner_id, action): a few hundred rows, not the team's leads.
  return Prisma.sql`${lead}.id IN (SELECT te.lead_id FROM lead_event te
     WHERE te.to_owner_id = ${scope.ownerId}::uuid AND te.action IN ('claimed', 'assigned'))`;
}

/**
 * The reports' numbers, computed in PostgreSQL over indexed columns (lead by team and creation
 * time, audit rows by team, action and time, follow-ups by lead): nothing is loaded row by row.
 * Straight from the rows: the roll-ups' reader uses it for a rep's own report, the trend and the
 * export, and the roll-ups' property test holds them to it.
 */
export class PrismaReportReader implements ReportReader {
  constructor(private readonly prisma: PrismaClient) {}

  /** The leads that came in during [from, to) in scope, merged duplicates left out. */
  private cohort(scope: ReportScope, from: Date, to: Date): Prisma.Sql {
    return Prisma.sql`SELECT l.* FROM lead l
       WHERE l.team_id = ANY(${scope.teamIds}::text[]) AND l.created_at >= ${from} AND l.created_at < ${to}
         AND l.status <> 'merged' AND ${takenByRep(scope, Prisma.sql`l`)}`;
  }

  /**
   * Takes (claims and assignments) in [from, to) and how many the taker contacted within the SLA:
   * one definition, read by the funnel's SLA line and by the "by rep" rows alike.
   */
  private takes(scope: ReportScope, from: Date, to: Date): Prisma.Sql {
    return Prisma.sql`SELECT e.to_owner_id AS member_id, e.at, e.first_contact_at,
             (e.first_contact_at <= e.at + s.sla_ms * interval '1 millisecond') AS within_sla
        FROM lead_event e JOIN (${slaTable(scope)}) s ON s.team_id = e.team_id
       WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action IN ('claimed', 'assigned')
         AND e.at >= ${from} AND e.at < ${to} AND e.to_owner_id IS NOT NULL
         AND (${scope.ownerId}::uuid IS NULL OR e.to_owner_id = ${scope.ownerId}::uuid)`;
  }

  async funnel(scope: ReportScope, from: Date, to: Date): Promise<FunnelCounts> {
    // One pass over the cohort; the SLA of each lead's team joins as a small table.
    const [row] = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH cohort AS (${this.cohort(scope, from, to)}), takes AS (${this.takes(scope, from, to)})
      SELECT
        count(*) AS leads_in,
        count(c.contacted_at) AS contacted,
        count(c.qualified_at) AS qualified,
        count(c.converted_at) AS converted,
        count(*) FILTER (WHERE c.stage = 'lost') AS lost,
        count(*) FILTER (WHERE c.stage = 'invalid') AS invalid,
        (SELECT count(*) FROM takes) AS owned,
        (SELECT count(*) FILTER (WHERE within_sla) FROM takes) AS within_sla,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${msBetween(Prisma.sql`c.created_at`, Prisma.sql`c.contacted_at`)}) AS contact_p50,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY ${msBetween(Prisma.sql`c.created_at`, Prisma.sql`c.contacted_at`)}) AS contact_p90,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY ${msBetween(Prisma.sql`c.created_at`, Prisma.sql`c.converted_at`)}) AS convert_p50,
        coalesce(sum(d.value), 0) AS deal_value,
        (SELECT count(*) FROM lead_event e
          WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action = 'reclaimed' AND e.at >= ${from} AND e.at < ${to}
            AND (${scope.ownerId}::uuid IS NULL OR e.from_owner_id = ${scope.ownerId}::uuid)) AS reclaims
        FROM cohort c LEFT JOIN deal d ON d.lead_id = c.id`;
    const r = row ?? {};
    return {
      leadsIn: num(r.leads_in),
      contacted: num(r.contacted),
      qualified: num(r.qualified),
      converted: num(r.converted),
      lost: num(r.lost),
      invalid: num(r.invalid),
      owned: num(r.owned),
      contactedWithinSla: num(r.within_sla),
      reclaims: num(r.reclaims),
      firstContactMedianMs: msOrNull(r.contact_p50),
      firstContactP90Ms: msOrNull(r.contact_p90),
      convertMedianMs: msOrNull(r.convert_p50),
      dealValue: num(r.deal_value),
    };
  }

  async periodLeads(scope: ReportScope, from: Date, to: Date, limit: number): Promise<PeriodLeadRow[]> {
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH cohort AS (${this.cohort(scope, from, to)} ORDER BY l.created_at, l.id LIMIT ${limit})
      SELECT c.id, c.team_id, c.name, c.company, c.source, c.channel, c.status, c.stage, m.display_name AS owner,
             c.created_at, c.contacted_at, c.qualified_at, c.converted_at, c.closed_at, c.close_reason, d.value,
             (SELECT count(*)::int FROM follow_up f WHERE f.lead_id = c.id) AS follow_ups,
             last.at AS last_at, last.method AS last_method, last.outcome AS last_outcome, last.note AS last_note
        FROM cohort c
        LEFT JOIN member m ON m.id = c.owner_id
        LEFT JOIN deal d ON d.lead_id = c.id
        LEFT JOIN LATERAL (SELECT f.at, f.method, f.outcome, f.note FROM follow_up f
                            WHERE f.lead_id = c.id ORDER BY f.at DESC, f.id DESC LIMIT 1) last ON true
       ORDER BY c.created_at, c.id`;
    const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);
    const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return rows.map((r) => ({
      ref: formatLeadRef(Number(r.id)),
      team: String(r.team_id),
      name: String(r.name),
      company: text(r.company),
      source: text(r.source),
      channel: text(r.channel),
      status: String(r.status),
      stage: String(r.stage),
      owner: text(r.owner),
      createdAt: iso(r.created_at) as string,
      contactedAt: iso(r.contacted_at),
      qualifiedAt: iso(r.qualified_at),
      convertedAt: iso(r.converted_at),
      closedAt: iso(r.closed_at),
      closeReason: text(r.close_reason),
      dealValue: r.value === null || r.value === undefined ? null : Number(r.value),
      followUps: num(r.follow_ups),
      lastFollowUpAt: iso(r.last_at),
      lastFollowUpMethod: text(r.last_method),
      lastFollowUpOutcome: text(r.last_outcome),
      lastFollowUpNote: text(r.last_note),
    }));
  }

  async trend(scope: ReportScope, from: Date, to: Date, timeZone: string): Promise<TrendDay[]> {
    // Each count reads its own timestamp's index (team, created / contacted / converted at).
    const inScope = Prisma.sql`l.team_id = ANY(${scope.teamIds}::text[]) AND l.status <> 'merged'
      AND ${takenByRep(scope, Prisma.sql`l`)}`;
    // A date per row, formatted once per day: to_char on every row was a third of the query.
    const day = (column: Prisma.Sql) => Prisma.sql`(${column} AT TIME ZONE ${timeZone})::date`;
    const rows = await this.prisma.$queryRaw<
      { day: string; leads_in: unknown; contacted: unknown; converted: unknown }[]
    >`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(leads_in) AS leads_in, sum(contacted) AS contacted,
             sum(converted) AS converted FROM (
        SELECT ${day(Prisma.sql`l.created_at`)} AS day, 1 AS leads_in, 0 AS contacted, 0 AS converted FROM lead l
         WHERE ${inScope} AND l.created_at >= ${from} AND l.created_at < ${to}
        UNION ALL
        SELECT ${day(Prisma.sql`l.contacted_at`)}, 0, 1, 0 FROM lead l
         WHERE ${inScope} AND l.contacted_at >= ${from} AND l.contacted_at < ${to}
        UNION ALL
        SELECT ${day(Prisma.sql`l.converted_at`)}, 0, 0, 1 FROM lead l
         WHERE ${inScope} AND l.converted_at >= ${from} AND l.converted_at < ${to}
      ) AS facts GROUP BY facts.day ORDER BY facts.day`;
    return rows.map((r) => ({
      day: r.day,
      leadsIn: num(r.leads_in),
      contacted: num(r.contacted),
      converted: num(r.converted),
    }));
  }

  async byChannel(scope: ReportScope, from: Date, to: Date): Promise<ChannelRow[]> {
    const rows = await this.prisma.$queryRaw<{ source: string; leads: bigint; converted: bigint; value: unknown }[]>`
      WITH cohort AS (${this.cohort(scope, from, to)})
      SELECT coalesce(c.source, 'unknown') AS source, count(*) AS leads, count(c.converted_at) AS converted,
             coalesce(sum(d.value), 0) AS value
        FROM cohort c LEFT JOIN deal d ON d.lead_id = c.id
       GROUP BY 1`;
    return sortChannels(
      rows.map((r) => ({
        source: r.source,
        leads: num(r.leads),
        converted: num(r.converted),
        dealValue: num(r.value),
      })),
    );
  }

  async byRep(scope: ReportScope, from: Date, to: Date): Promise<RepRow[]> {
    // Each take (claim or assignment) in the period carries its taker's first contact: one indexed
    // pass over the period's takes, grouped per member.
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH takes AS (
        SELECT member_id, count(*) AS taken, count(*) FILTER (WHERE within_sla) AS within_sla,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY ${msBetween(Prisma.sql`at`, Prisma.sql`first_contact_at`)}) AS contact_p50
          FROM (${this.takes(scope, from, to)}) AS take
         GROUP BY 1
      ), reclaimed AS (
        SELECT e.from_owner_id AS member_id, count(*) AS n FROM lead_event e
         WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action = 'reclaimed' AND e.at >= ${from} AND e.at < ${to}
         GROUP BY 1
      ), won AS (
        SELECT e.actor_id AS member_id, count(*) AS n FROM lead_event e
         WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action = 'converted' AND e.at >= ${from} AND e.at < ${to}
         GROUP BY 1
      )
      SELECT m.id::text AS member_id, m.display_name AS name, coalesce(t.taken, 0) AS taken,
             coalesce(t.within_sla, 0) AS within_sla, coalesce(r.n, 0) AS reclaimed, coalesce(w.n, 0) AS converted,
             t.contact_p50
        FROM member m
        LEFT JOIN takes t ON t.member_id = m.id
        LEFT JOIN reclaimed r ON r.member_id = m.id
        LEFT JOIN won w ON w.member_id = m.id
       WHERE m.team_id = ANY(${scope.teamIds}::text[]) AND m.active
         AND (${scope.ownerId}::uuid IS NULL OR m.id = ${scope.ownerId}::uuid)
         -- Managers and admins who took nothing are no reps to rank.
         AND (m.role = 'rep' OR t.taken IS NOT NULL OR r.n IS NOT NULL OR w.n IS NOT NULL)
       ORDER BY m.display_name`;
    return rows.map((r) => ({
      memberId: String(r.member_id),
      name: String(r.name),
      taken: num(r.taken),
      contactedWithinSla: num(r.within_sla),
      reclaimed: num(r.reclaimed),
      converted: num(r.converted),
      firstContactMedianMs: msOrNull(r.contact_p50),
    }));
  }
}
