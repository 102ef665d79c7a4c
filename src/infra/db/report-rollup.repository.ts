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
import { PrismaReportReader, sortChannels } from './report.repository.js';
import {
  addBins,
  type Bins,
  type DateSpan,
  type Grains,
  grainsOf,
  interpolate,
  percentileRanks,
  type Range,
  type RankAt,
  rankAt,
} from './report-grains.js';

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** `(col >= a AND col < b) OR …` over the ranges; false for none. */
function inRanges(column: Prisma.Sql, ranges: Range[]): Prisma.Sql {
  if (ranges.length === 0) return Prisma.sql`false`;
  return Prisma.join(
    ranges.map(([a, b]) => Prisma.sql`(${column} >= ${a} AND ${column} < ${b})`),
    ' OR ',
  );
}

/** `start` within the spans of one grain; false for none. */
function inSpans(spans: DateSpan[]): Prisma.Sql {
  if (spans.length === 0) return Prisma.sql`false`;
  return Prisma.join(
    spans.map((s) => Prisma.sql`(r.start >= ${s.from}::date AND r.start < ${s.to}::date)`),
    ' OR ',
  );
}

type CohortCounts = Omit<ChannelRow, 'source'> & {
  contacted: number;
  qualified: number;
  lost: number;
  invalid: number;
};

const noCounts = (): CohortCounts => ({
  leads: 0,
  contacted: 0,
  qualified: 0,
  converted: 0,
  lost: 0,
  invalid: 0,
  dealValue: 0,
});

/** A row of counts as the roll-up and the ends' queries name them. */
const countsOf = (row: Record<string, unknown>): CohortCounts => ({
  leads: num(row.leads_in),
  contacted: num(row.contacted),
  qualified: num(row.qualified),
  converted: num(row.converted),
  lost: num(row.lost),
  invalid: num(row.invalid),
  dealValue: num(row.deal_value),
});

function addCounts(into: CohortCounts, c: CohortCounts): void {
  into.leads += c.leads;
  into.contacted += c.contacted;
  into.qualified += c.qualified;
  into.converted += c.converted;
  into.lost += c.lost;
  into.invalid += c.invalid;
  // Cents, so sums of many deals stay exact in a double.
  into.dealValue = Math.round(into.dealValue * 100 + c.dealValue * 100) / 100;
}

/** Bin counts of one team. */
interface TeamBin {
  team: string;
  bin: number;
  n: number;
}

/** The takes in bins below their own team's SLA bin: answered within it, whatever the bin's width. */
function takesBelow(bins: TeamBin[], slaBin: Map<string, number>): number {
  return bins.filter((b) => b.bin < (slaBin.get(b.team) ?? 0)).reduce((s, b) => s + b.n, 0);
}

/** A member's takes, reclaims, conversions and response bins in a period. */
interface MemberFacts {
  taken: number;
  reclaimed: number;
  converted: number;
  /** Per team of the take: a take counts against its own team's SLA. */
  response: TeamBin[];
}

/**
 * The reports from the roll-ups (see the migration `report_rollups` and docs/design.md): the whole
 * UTC days and months of a period from the roll-up rows, its ends from the leads and audit rows,
 * and each median's value read from the one bin it falls in. A rep's own report, the trend and the
 * export read the rows directly, as `PrismaReportReader` does: they are small.
 */
export class RollupReportReader implements ReportReader {
  private readonly direct: PrismaReportReader;

  constructor(private readonly prisma: PrismaClient) {
    this.direct = new PrismaReportReader(prisma);
  }

  periodLeads(scope: ReportScope, from: Date, to: Date, limit: number): Promise<PeriodLeadRow[]> {
    return this.direct.periodLeads(scope, from, to, limit);
  }

  trend(scope: ReportScope, from: Date, to: Date, timeZone: string): Promise<TrendDay[]> {
    return this.direct.trend(scope, from, to, timeZone);
  }

  funnel(scope: ReportScope, from: Date, to: Date): Promise<FunnelCounts> {
    if (scope.ownerId) return this.direct.funnel(scope, from, to);
    return this.inOneSnapshot((reads) => reads.funnel(scope, from, to));
  }

  byChannel(scope: ReportScope, from: Date, to: Date): Promise<ChannelRow[]> {
    if (scope.ownerId) return this.direct.byChannel(scope, from, to);
    // Counts alone, no rank to find: its two reads may run at once, outside a transaction.
    return new RollupReads(this.prisma).byChannel(scope, from, to);
  }

  byRep(scope: ReportScope, from: Date, to: Date): Promise<RepRow[]> {
    if (scope.ownerId) return this.direct.byRep(scope, from, to);
    return this.inOneSnapshot((reads) => reads.byRep(scope, from, to));
  }

  /**
   * A report's reads in one snapshot. A median is found in two steps, the bins counted and then
   * the rows of one bin read at a rank; with leads coming in between, the rank could land past the
   * bin's rows. The reads queue on the transaction's one connection.
   */
  private inOneSnapshot<T>(work: (reads: RollupReads) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => work(new RollupReads(tx)), {
      isolationLevel: 'RepeatableRead',
      maxWait: 20_000,
      timeout: 60_000,
    });
  }
}

/** The roll-ups' reads, on one client: the database's pool, or one snapshot's transaction. */
class RollupReads {
  constructor(private readonly prisma: Prisma.TransactionClient) {}

  async funnel(scope: ReportScope, from: Date, to: Date): Promise<FunnelCounts> {
    const grains = grainsOf(from, to);
    const [bySource, contact, convert, takes, within, below] = await Promise.all([
      this.cohortBySource(scope, grains),
      this.cohortBins(scope, grains, 'contact'),
      this.cohortBins(scope, grains, 'convert'),
      this.teamTakes(scope, grains),
      this.withinSla(scope, from, to),
      this.belowSla(scope, grains),
    ]);
    const total = noCounts();
    for (const counts of bySource.values()) addCounts(total, counts);
    const [contactP50, contactP90, convertP50] = await this.cohortPercentiles(scope, from, to, [
      ['contact', contact, 0.5],
      ['contact', contact, 0.9],
      ['convert', convert, 0.5],
    ]);
    let withinSla = below;
    for (const n of within.values()) withinSla += n;
    return {
      leadsIn: total.leads,
      contacted: total.contacted,
      qualified: total.qualified,
      converted: total.converted,
      lost: total.lost,
      invalid: total.invalid,
      owned: takes.taken,
      contactedWithinSla: withinSla,
      reclaims: takes.reclaimed,
      firstContactMedianMs: contactP50 ?? null,
      firstContactP90Ms: contactP90 ?? null,
      convertMedianMs: convertP50 ?? null,
      dealValue: total.dealValue,
    };
  }

  async byChannel(scope: ReportScope, from: Date, to: Date): Promise<ChannelRow[]> {
    const bySource = await this.cohortBySource(scope, grainsOf(from, to));
    const rows = [...bySource]
      .filter(([, c]) => c.leads > 0)
      .map(([source, c]) => ({ source, leads: c.leads, converted: c.converted, dealValue: c.dealValue }));
    return sortChannels(rows);
  }

  async byRep(scope: ReportScope, from: Date, to: Date): Promise<RepRow[]> {
    const grains = grainsOf(from, to);
    const [members, facts, within, boundary] = await Promise.all([
      this.prisma.$queryRaw<{ id: string; name: string; role: string; team_id: string }[]>`
        SELECT m.id::text AS id, m.display_name AS name, m.role, m.team_id FROM member m
         WHERE m.team_id = ANY(${scope.teamIds}::text[]) AND m.active ORDER BY m.display_name`,
      this.memberFacts(scope, grains),
      this.withinSla(scope, from, to),
      this.slaBins(scope),
    ]);
    const shown = members.filter((m) => {
      const f = facts.get(m.id);
      // Managers and admins who took nothing are no reps to rank.
      return m.role === 'rep' || (f && (f.taken > 0 || f.reclaimed > 0 || f.converted > 0));
    });
    const medians = await this.memberMedians(scope, from, to, shown, facts);
    return shown.map((m) => {
      const f = facts.get(m.id);
      const below = takesBelow(f?.response ?? [], boundary);
      return {
        memberId: m.id,
        name: m.name,
        taken: f?.taken ?? 0,
        contactedWithinSla: below + (within.get(m.id) ?? 0),
        reclaimed: f?.reclaimed ?? 0,
        converted: f?.converted ?? 0,
        firstContactMedianMs: medians.get(m.id) ?? null,
      };
    });
  }

  /** The cohort's counts per source: whole days rolled up, the ends counted from the leads. */
  private async cohortBySource(scope: ReportScope, g: Grains): Promise<Map<string, CohortCounts>> {
    const rolled = g.days
      ? this.prisma.$queryRaw<Record<string, unknown>[]>`
          SELECT source, sum(leads_in) AS leads_in, sum(contacted) AS contacted, sum(qualified) AS qualified,
                 sum(converted) AS converted, sum(lost) AS lost, sum(invalid) AS invalid, sum(deal_value) AS deal_value
            FROM report_cohort
           WHERE team_id = ANY(${scope.teamIds}::text[]) AND day >= ${g.days.from}::date AND day < ${g.days.to}::date
           GROUP BY source`
      : Promise.resolve([]);
    const ends =
      g.edges.length > 0
        ? this.prisma.$queryRaw<Record<string, unknown>[]>`
          SELECT coalesce(l.source, 'unknown') AS source, count(*) AS leads_in, count(l.contacted_at) AS contacted,
                 count(l.qualified_at) AS qualified, count(l.converted_at) AS converted,
                 count(*) FILTER (WHERE l.stage = 'lost') AS lost, count(*) FILTER (WHERE l.stage = 'invalid') AS invalid,
                 coalesce(sum(d.value), 0) AS deal_value
            FROM lead l LEFT JOIN deal d ON d.lead_id = l.id
           WHERE l.team_id = ANY(${scope.teamIds}::text[]) AND l.status <> 'merged'
             AND (${inRanges(Prisma.sql`l.created_at`, g.edges)})
           GROUP BY 1`
        : Promise.resolve([]);
    const bySource = new Map<string, CohortCounts>();
    for (const row of (await Promise.all([rolled, ends])).flat()) {
      const source = String(row.source);
      const counts = bySource.get(source) ?? noCounts();
      addCounts(counts, countsOf(row));
      bySource.set(source, counts);
    }
    return bySource;
  }

  /** A cohort delay's bins over all the scope's teams: months, then loose days, then the ends. */
  private async cohortBins(scope: ReportScope, g: Grains, kind: 'contact' | 'convert'): Promise<Bins> {
    const column = kind === 'contact' ? Prisma.sql`l.contact_ms` : Prisma.sql`l.convert_ms`;
    const [rolled, ends] = await Promise.all([
      this.delayRows(kind, scope.teamIds, g),
      g.edges.length > 0
        ? this.prisma.$queryRaw<{ bin: number; n: unknown }[]>`
            SELECT report_bin(${column}) AS bin, count(*) AS n FROM lead l
             WHERE l.team_id = ANY(${scope.teamIds}::text[]) AND ${column} IS NOT NULL
               AND (${inRanges(Prisma.sql`l.created_at`, g.edges)})
             GROUP BY 1`
        : Promise.resolve([]),
    ]);
    return addBins(
      rolled,
      ends.map((r) => ({ bin: Number(r.bin), n: num(r.n) })),
    );
  }

  /** Team-level delay bins (member '') per team, of the whole months and the loose days. */
  private async delayRows(kind: string, teamIds: string[], g: Grains): Promise<TeamBin[]> {
    if (!g.days) return [];
    const months = g.months ? [g.months] : [];
    const rows = await this.prisma.$queryRaw<{ team: string; bin: number; n: unknown }[]>`
      SELECT r.team_id AS team, r.bin, sum(r.n) AS n FROM report_delay r
       WHERE r.kind = ${kind} AND r.team_id = ANY(${teamIds}::text[]) AND r.member = ''
         AND ((r.grain = 'm' AND (${inSpans(months)})) OR (r.grain = 'd' AND (${inSpans(g.looseDays)})))
       GROUP BY 1, 2`;
    return rows.map((r) => ({ team: r.team, bin: Number(r.bin), n: num(r.n) }));
  }

  /**
   * Each percentile's value from the leads of the one bin its rank falls in: one read per bin, of
   * the ranks asked of it (the two around a median are mostly in one bin).
   */
  private async cohortPercentiles(
    scope: ReportScope,
    from: Date,
    to: Date,
    wanted: ['contact' | 'convert', Bins, number][],
  ): Promise<(number | null)[]> {
    const reads = new Map<string, { kind: 'contact' | 'convert'; bin: number; first: number; last: number }>();
    const ask = (kind: 'contact' | 'convert', at: RankAt) => {
      const key = `${kind}:${at.bin}`;
      const read = reads.get(key) ?? { kind, bin: at.bin, first: at.offset, last: at.offset };
      read.first = Math.min(read.first, at.offset);
      read.last = Math.max(read.last, at.offset);
      reads.set(key, read);
      return { key, offset: at.offset };
    };
    const plans = wanted.map(([kind, bins, p]) => {
      const ranks = percentileRanks(
        bins.reduce((s, b) => s + b.n, 0),
        p,
      );
      if (!ranks) return null;
      return { low: ask(kind, rankAt(bins, ranks.low)), high: ask(kind, rankAt(bins, ranks.high)), share: ranks.share };
    });
    const values = new Map(
      await Promise.all(
        [...reads].map(async ([key, { kind, bin, first, last }]) => {
          const column = kind === 'contact' ? Prisma.sql`l.contact_ms` : Prisma.sql`l.convert_ms`;
          const rows = await this.prisma.$queryRaw<{ ms: unknown }[]>`
            SELECT ${column} AS ms FROM lead l
             WHERE l.team_id = ANY(${scope.teamIds}::text[])
               AND ${column} >= report_bin_lo(${bin}::int) AND ${column} < report_bin_hi(${bin}::int)
               AND l.created_at >= ${from} AND l.created_at < ${to}
             ORDER BY 1 OFFSET ${first}::int LIMIT ${last - first + 1}::int`;
          if (rows.length < last - first + 1)
            throw new Error(`bin ${bin} of ${kind} has fewer leads than its roll-up counts`);
          return [key, { first, values: rows.map((r) => num(r.ms)) }] as const;
        }),
      ),
    );
    const valueAt = ({ key, offset }: { key: string; offset: number }) => {
      const read = values.get(key);
      return read?.values[offset - read.first] as number;
    };
    return plans.map((plan) =>
      plan ? Math.round(interpolate(valueAt(plan.low), valueAt(plan.high), plan.share)) : null,
    );
  }

  /** The period's takes and reclaims for whole teams: whole days rolled up, the ends from the audit rows. */
  private async teamTakes(scope: ReportScope, g: Grains): Promise<{ taken: number; reclaimed: number }> {
    const [rolled, ends] = await Promise.all([
      g.days
        ? this.prisma.$queryRaw<{ taken: unknown; reclaimed: unknown }[]>`
            SELECT sum(taken) AS taken, sum(reclaimed) AS reclaimed FROM report_take
             WHERE team_id = ANY(${scope.teamIds}::text[]) AND grain = 'd' AND member = '*'
               AND start >= ${g.days.from}::date AND start < ${g.days.to}::date`
        : Promise.resolve([]),
      g.edges.length > 0
        ? this.prisma.$queryRaw<{ taken: unknown; reclaimed: unknown }[]>`
            SELECT count(*) FILTER (WHERE e.action IN ('claimed', 'assigned') AND e.to_owner_id IS NOT NULL) AS taken,
                   count(*) FILTER (WHERE e.action = 'reclaimed') AS reclaimed
              FROM lead_event e
             WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action IN ('claimed', 'assigned', 'reclaimed')
               AND (${inRanges(Prisma.sql`e.at`, g.edges)})`
        : Promise.resolve([]),
    ]);
    const rows = [...rolled, ...ends];
    return {
      taken: rows.reduce((s, r) => s + num(r.taken), 0),
      reclaimed: rows.reduce((s, r) => s + num(r.reclaimed), 0),
    };
  }

  /** Takes answered in the bins wholly within their team's SLA (bins below the SLA's own), all teams. */
  private async belowSla(scope: ReportScope, g: Grains): Promise<number> {
    const [rolled, ends, boundary] = await Promise.all([
      this.delayRows('response', scope.teamIds, g),
      this.responseEnds(scope.teamIds, g.edges),
      this.slaBins(scope),
    ]);
    return takesBelow([...rolled, ...ends], boundary);
  }

  /** Each team's SLA's bin, as the database reckons it. */
  private async slaBins(scope: ReportScope): Promise<Map<string, number>> {
    const sla = scope.teamIds.map((t) => scope.followUpMs[t] ?? 0);
    const rows = await this.prisma.$queryRaw<{ team: string; bin: number }[]>`
      SELECT s.team AS team, report_bin(s.sla_ms) AS bin FROM unnest(${scope.teamIds}::text[], ${sla}::bigint[]) AS s(team, sla_ms)`;
    return new Map(rows.map((r) => [r.team, Number(r.bin)]));
  }

  private async responseEnds(teamIds: string[], edges: Range[]): Promise<TeamBin[]> {
    if (edges.length === 0) return [];
    const rows = await this.prisma.$queryRaw<{ team: string; bin: number; n: unknown }[]>`
      SELECT e.team_id AS team, report_bin(e.response_ms) AS bin, count(*) AS n FROM lead_event e
       WHERE e.team_id = ANY(${teamIds}::text[]) AND e.response_ms IS NOT NULL AND e.action IN ('claimed', 'assigned')
         AND (${inRanges(Prisma.sql`e.at`, edges)})
       GROUP BY 1, 2`;
    return rows.map((r) => ({ team: r.team, bin: Number(r.bin), n: num(r.n) }));
  }

  /**
   * Per member, the takes of the period answered within their team's SLA but in the SLA's own bin:
   * read from the audit rows of that bin alone (index on team, response time, time).
   */
  private async withinSla(scope: ReportScope, from: Date, to: Date): Promise<Map<string, number>> {
    const sla = scope.teamIds.map((t) => scope.followUpMs[t] ?? 0);
    // Per team, so each reads its own SLA's bin by the index (a join let the planner scan them all).
    const rows = await this.prisma.$queryRaw<{ member: string; n: unknown }[]>`
      SELECT w.member, sum(w.n) AS n
        FROM unnest(${scope.teamIds}::text[], ${sla}::bigint[]) AS s(team_id, sla_ms)
       CROSS JOIN LATERAL (
         SELECT e.to_owner_id::text AS member, count(*) AS n FROM lead_event e
          WHERE e.team_id = s.team_id
            AND e.response_ms >= report_bin_lo(report_bin(s.sla_ms)) AND e.response_ms <= s.sla_ms
            AND e.at >= ${from} AND e.at < ${to}
          GROUP BY 1) w
       GROUP BY 1`;
    return new Map(rows.map((r) => [r.member, num(r.n)]));
  }

  /**
   * Each member's takes, reclaims, conversions and response bins. Counts: whole months and loose
   * days rolled up, the ends read. Response bins are rolled up by month only (per day they would
   * be as many rows as takes): the rest of the period's takes are read from an index that holds
   * their taker and response.
   */
  private async memberFacts(scope: ReportScope, g: Grains): Promise<Map<string, MemberFacts>> {
    const months = g.months ? [g.months] : [];
    const [counts, bins, ends, rest] = await Promise.all([
      g.days
        ? this.prisma.$queryRaw<Record<string, unknown>[]>`
            SELECT r.member, sum(r.taken) AS taken, sum(r.reclaimed) AS reclaimed, sum(r.converted) AS converted
              FROM report_take r
             WHERE r.team_id = ANY(${scope.teamIds}::text[]) AND r.member <> '*'
               AND ((r.grain = 'm' AND (${inSpans(months)})) OR (r.grain = 'd' AND (${inSpans(g.looseDays)})))
             GROUP BY 1`
        : Promise.resolve([]),
      g.months
        ? this.prisma.$queryRaw<Record<string, unknown>[]>`
            SELECT member, team_id, bin, sum(n) AS n FROM report_delay
             WHERE kind = 'response' AND team_id = ANY(${scope.teamIds}::text[]) AND grain = 'm' AND member <> ''
               AND start >= ${g.months.from}::date AND start < ${g.months.to}::date
             GROUP BY 1, 2, 3`
        : Promise.resolve([]),
      g.edges.length > 0
        ? this.prisma.$queryRaw<Record<string, unknown>[]>`
            SELECT member, sum(taken) AS taken, sum(reclaimed) AS reclaimed, sum(converted) AS converted FROM (
              SELECT CASE e.action WHEN 'reclaimed' THEN e.from_owner_id WHEN 'converted' THEN e.actor_id
                          ELSE e.to_owner_id END::text AS member,
                     (e.action IN ('claimed', 'assigned'))::int AS taken, (e.action = 'reclaimed')::int AS reclaimed,
                     (e.action = 'converted')::int AS converted
                FROM lead_event e
               WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action IN ('claimed', 'assigned', 'reclaimed', 'converted')
                 AND (${inRanges(Prisma.sql`e.at`, g.edges)})) f
             WHERE member IS NOT NULL
             GROUP BY 1`
        : Promise.resolve([]),
      this.prisma.$queryRaw<Record<string, unknown>[]>`
        SELECT e.to_owner_id::text AS member, e.team_id, report_bin(e.response_ms) AS bin, count(*) AS n FROM lead_event e
         WHERE e.team_id = ANY(${scope.teamIds}::text[]) AND e.action IN ('claimed', 'assigned')
           AND (${inRanges(Prisma.sql`e.at`, g.outsideMonths)}) AND e.response_ms IS NOT NULL
         GROUP BY 1, 2, 3`,
    ]);
    const facts = new Map<string, MemberFacts>();
    const of = (member: unknown) => {
      const key = String(member);
      const known = facts.get(key);
      if (known) return known;
      const fresh: MemberFacts = { taken: 0, reclaimed: 0, converted: 0, response: [] };
      facts.set(key, fresh);
      return fresh;
    };
    for (const row of [...counts, ...ends]) {
      const f = of(row.member);
      f.taken += num(row.taken);
      f.reclaimed += num(row.reclaimed);
      f.converted += num(row.converted);
    }
    for (const row of [...bins, ...rest])
      of(row.member).response.push({ team: String(row.team_id), bin: Number(row.bin), n: num(row.n) });
    return facts;
  }

  /** Each member's median response, from the takes of the bin (or two) its two ranks fall in. */
  private async memberMedians(
    scope: ReportScope,
    from: Date,
    to: Date,
    members: { id: string }[],
    facts: Map<string, MemberFacts>,
  ): Promise<Map<string, number>> {
    const asks: { member: string; bin: number; offset: number; count: number }[] = [];
    const plans: { member: string; low: [number, number]; high: [number, number]; share: number }[] = [];
    for (const { id } of members) {
      const bins = addBins(facts.get(id)?.response ?? []);
      const ranks = percentileRanks(
        bins.reduce((s, b) => s + b.n, 0),
        0.5,
      );
      if (!ranks) continue;
      const [low, high] = [rankAt(bins, ranks.low), rankAt(bins, ranks.high)];
      const lowAsk = asks.push({ member: id, bin: low.bin, offset: low.offset, count: 1 }) - 1;
      if (high.bin === low.bin) {
        (asks[lowAsk] as { count: number }).count = high.offset - low.offset + 1;
        plans.push({ member: id, low: [lowAsk, 0], high: [lowAsk, high.offset - low.offset], share: ranks.share });
      } else {
        const highAsk = asks.push({ member: id, bin: high.bin, offset: high.offset, count: 1 }) - 1;
        plans.push({ member: id, low: [lowAsk, 0], high: [highAsk, 0], share: ranks.share });
      }
    }
    if (asks.length === 0) return new Map();
    const rows = await this.prisma.$queryRaw<{ i: unknown; values: unknown[] | null }[]>`
      SELECT q.i, v.values FROM unnest(${asks.map((a) => a.member)}::uuid[], ${asks.map((a) => a.bin)}::int[],
               ${asks.map((a) => a.offset)}::int[], ${asks.map((a) => a.count)}::int[]) WITH ORDINALITY AS q(member, bin, off, cnt, i)
      CROSS JOIN LATERAL (
        SELECT array_agg(ms ORDER BY ms) AS values FROM (
          SELECT e.response_ms AS ms FROM lead_event e
           WHERE e.to_owner_id = q.member AND e.team_id = ANY(${scope.teamIds}::text[])
             AND e.response_ms >= report_bin_lo(q.bin) AND e.response_ms < report_bin_hi(q.bin)
             AND e.at >= ${from} AND e.at < ${to}
           ORDER BY e.response_ms OFFSET q.off LIMIT q.cnt) x) v`;
    const values = new Map(rows.map((r) => [num(r.i) - 1, (r.values ?? []).map(num)]));
    const valueAt = ([ask, at]: [number, number], member: string) => {
      const value = values.get(ask)?.[at];
      if (value === undefined) throw new Error(`a median of member ${member} is not in its bin`);
      return value;
    };
    return new Map(
      plans.map((p) => [
        p.member,
        Math.round(interpolate(valueAt(p.low, p.member), valueAt(p.high, p.member), p.share)),
      ]),
    );
  }
}

/** Folds the roll-ups' appended rows (the migration's `report_fold`); returns how many rows it took. */
export async function foldReportRollups(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: unknown }[]>`SELECT report_fold() AS n`;
  return num(row?.n);
}
