import type { ConversionReader, ConversionRecord } from '../../domain/conversions/conversion-record.js';
import { formatLeadRef } from '../../domain/leads/lead.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

interface Row {
  lead_id: number;
  team_id: string;
  name: string;
  title: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  source: string | null;
  sub_source: string | null;
  campaign: string | null;
  external_id: string | null;
  score: number;
  grade: string;
  owner: string | null;
  created_at: Date;
  contacted_at: Date | null;
  qualified_at: Date | null;
  converted_at: Date | null;
  value: Prisma.Decimal | null;
  currency: string | null;
  expected_close: Date | null;
  customer_id: number;
  customer_name: string;
}

const SELECT = Prisma.sql`
  SELECT l.id AS lead_id, l.team_id, l.name, l.title, l.company, l.email, l.phone, l.source, l.sub_source,
         l.campaign, l.external_id, l.score, l.grade, m.display_name AS owner, l.created_at, l.contacted_at,
         l.qualified_at, l.converted_at, d.value, d.currency, d.expected_close, c.id AS customer_id,
         c.name AS customer_name
    FROM deal d JOIN lead l ON l.id = d.lead_id JOIN customer c ON c.id = d.customer_id
    LEFT JOIN member m ON m.id = d.member_id`;

const iso = (at: Date | null) => at?.toISOString() ?? null;

function toRecord(row: Row): ConversionRecord {
  return {
    ref: formatLeadRef(row.lead_id),
    leadId: row.lead_id,
    teamId: row.team_id,
    name: row.name,
    title: row.title,
    company: row.company,
    email: row.email,
    phone: row.phone,
    source: row.source,
    subSource: row.sub_source,
    campaign: row.campaign,
    externalId: row.external_id,
    score: row.score,
    grade: row.grade,
    owner: row.owner,
    createdAt: row.created_at.toISOString(),
    contactedAt: iso(row.contacted_at),
    qualifiedAt: iso(row.qualified_at),
    convertedAt: iso(row.converted_at),
    dealValue: row.value === null ? null : Number(row.value),
    dealCurrency: row.currency,
    expectedClose: iso(row.expected_close),
    customerId: row.customer_id,
    customerName: row.customer_name,
  };
}

export class PrismaConversionReader implements ConversionReader {
  constructor(private readonly prisma: PrismaClient) {}

  async conversion(leadId: number): Promise<ConversionRecord | null> {
    const [row] = await this.prisma.$queryRaw<Row[]>`${SELECT} WHERE d.lead_id = ${leadId}`;
    return row ? toRecord(row) : null;
  }

  async conversions(query: Parameters<ConversionReader['conversions']>[0]): Promise<ConversionRecord[]> {
    const rows = await this.prisma.$queryRaw<Row[]>`${SELECT}
      WHERE (${query.teamId}::text IS NULL OR l.team_id = ${query.teamId})
        AND (${query.from}::timestamptz IS NULL OR d.won_at >= ${query.from})
        AND (${query.to}::timestamptz IS NULL OR d.won_at < ${query.to})
        AND d.lead_id > ${query.afterLeadId}
      ORDER BY d.lead_id LIMIT ${query.limit}`;
    return rows.map(toRecord);
  }
}
