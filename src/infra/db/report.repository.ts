import type { ChannelRow, FunnelCounts, ReportReader, ReportScope, RepRow } from '../../domain/reports/funnel.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const msOrNull = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000));

/** Each team's follow-up SLA as a table the queries join: (team_id, sla). */
function slaTable(scope: ReportScope): Prisma.Sql {
  const teams = scope.teamIds;
  const ms = teams.map((t) => scope.followUpMs[t] ?? 0);
  return Prisma.sql`SELECT * FROM unnest(${teams}::text[], ${ms}::bigint[]) AS s(team_id, sla_ms)`;
}

/**
 * The reports' numbers, computed in PostgreSQL over indexed columns (lead by team and creation
 * time, audit rows by team, action and time, follow-ups by lead): nothing is loaded row by row.
 */
export class PrismaReportReader implements ReportReader {
  constructor(private readonly prisma: PrismaClient) {}

  /** The leads that came in during [from, to) in scope, merged duplicates left out. */
  private cohort(scope: ReportScope, from: Date, to: Date): Prisma.Sql {
    return Prisma.sql`SELECT l.* FROM lead l
       WHERE l.team_id = ANY(${scope.teamIds}::text[]) AND l.created_at >= ${from} AND l.created_at < ${to}
         AND l.status <> 'merged' AND (${scope.ownerId}::uuid IS NULL OR l.owner_id = ${scope.ownerId}::uuid)`;
  }

  async funnel(scope: ReportScope, from: Date, to: Date): Promise<FunnelCounts> {
    const [row] = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH cohort AS (${this.cohort(scope, from, to)}),
      taken AS (
        SELECT c.id, c.contacted_at, s.sla_ms,
               (SELECT min(e.at) FROM lead_event e WHERE e.lead_id = c.id AND e.action IN ('claimed', 'assigned')) AS owned_at
          FROM cohort c JOIN (${slaTable(scope)}) s ON s.team_id = c.team_id
      )
      SELECT
        (SELECT count(*) FROM cohort) AS leads_in,
        (SELECT count(contacted_at) FROM cohort) AS contacted,
        (SELECT count(qualified_at) FROM cohort) AS qualified,
        (SELECT count(converted_at) FROM cohort) AS converted,
        (SELECT count(*) FROM cohort WHERE stage = 'lost') AS lost,
        (SELECT count(*) FROM cohort WHERE stage = 'invalid') AS invalid,
        (SELECT count(owned_at) FROM taken) AS owned,
        (SELECT count(*) FROM taken
          WHERE contacted_at IS NOT NULL AND contacted_at <= owned_at + sla_ms * interval '1 millisecond') AS within_sla,
        (SELECT count(*) FROM lead_event e
          WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action = 'reclaimed' AND e.at >= ${from} AND e.at < ${to}
            AND (${scope.ownerId}::uuid IS NULL OR e.from_owner_id = ${scope.ownerId}::uuid)) AS reclaims,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM contacted_at - created_at))
           FROM cohort WHERE contacted_at IS NOT NULL) AS contact_p50,
        (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM contacted_at - created_at))
           FROM cohort WHERE contacted_at IS NOT NULL) AS contact_p90,
        (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM converted_at - created_at))
           FROM cohort WHERE converted_at IS NOT NULL) AS convert_p50,
        (SELECT coalesce(sum(d.value), 0) FROM deal d JOIN cohort c ON c.id = d.lead_id) AS deal_value`;
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

  async byChannel(scope: ReportScope, from: Date, to: Date): Promise<ChannelRow[]> {
    const rows = await this.prisma.$queryRaw<{ source: string; leads: bigint; converted: bigint; value: unknown }[]>`
      WITH cohort AS (${this.cohort(scope, from, to)})
      SELECT coalesce(c.source, 'unknown') AS source, count(*) AS leads, count(c.converted_at) AS converted,
             coalesce(sum(d.value), 0) AS value
        FROM cohort c LEFT JOIN deal d ON d.lead_id = c.id
       GROUP BY 1 ORDER BY 2 DESC, 1`;
    return rows.map((r) => ({
      source: r.source,
      leads: num(r.leads),
      converted: num(r.converted),
      dealValue: num(r.value),
    }));
  }

  async byRep(scope: ReportScope, from: Date, to: Date): Promise<RepRow[]> {
    const rows = await this.prisma.$queryRaw<Record<string, unknown>[]>`
      WITH takes AS (
        SELECT e.to_owner_id AS member_id, e.lead_id, e.team_id, min(e.at) AS taken_at, count(*) AS n
          FROM lead_event e
         WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action IN ('claimed', 'assigned')
           AND e.at >= ${from} AND e.at < ${to} AND e.to_owner_id IS NOT NULL
         GROUP BY 1, 2, 3
      ), firsts AS (
        SELECT t.member_id, t.taken_at, s.sla_ms,
               (SELECT min(f.at) FROM follow_up f
                 WHERE f.lead_id = t.lead_id AND f.member_id = t.member_id AND f.at >= t.taken_at) AS first_at
          FROM takes t JOIN (${slaTable(scope)}) s ON s.team_id = t.team_id
      )
      SELECT m.id::text AS member_id, m.display_name AS name,
             coalesce((SELECT sum(n) FROM takes t WHERE t.member_id = m.id), 0) AS taken,
             (SELECT count(*) FROM firsts f WHERE f.member_id = m.id AND f.first_at <= f.taken_at + f.sla_ms * interval '1 millisecond') AS within_sla,
             (SELECT count(*) FROM lead_event e WHERE e.team_id = m.team_id AND e.action = 'reclaimed'
                 AND e.from_owner_id = m.id AND e.at >= ${from} AND e.at < ${to}) AS reclaimed,
             (SELECT count(*) FROM deal d WHERE d.member_id = m.id AND d.won_at >= ${from} AND d.won_at < ${to}) AS converted,
             (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM f.first_at - f.taken_at))
                FROM firsts f WHERE f.member_id = m.id AND f.first_at IS NOT NULL) AS contact_p50
        FROM member m
       WHERE m.team_id = ANY(${scope.teamIds}::text[]) AND m.active
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
