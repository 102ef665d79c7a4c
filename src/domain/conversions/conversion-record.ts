/** A converted lead as another system receives it: in the webhook and in `leads export`. */
export interface ConversionRecord {
  ref: string;
  leadId: number;
  teamId: string;
  name: string;
  title: string | null;
  company: string | null;
  email: string | null;
  phone: string | null;
  source: string | null;
  subSource: string | null;
  campaign: string | null;
  externalId: string | null;
  score: number;
  grade: string;
  owner: string | null;
  createdAt: string;
  contactedAt: string | null;
  qualifiedAt: string | null;
  convertedAt: string | null;
  dealValue: number | null;
  dealCurrency: string | null;
  expectedClose: string | null;
  customerId: number;
  customerName: string;
}

/** Reads converted leads with their deal and customer. */
export interface ConversionReader {
  conversion(leadId: number): Promise<ConversionRecord | null>;
  /** A team's conversions (all teams when null) won in [from, to), oldest first, `limit` at a time after `afterLeadId`. */
  conversions(query: {
    teamId: string | null;
    from: Date | null;
    to: Date | null;
    afterLeadId: number;
    limit: number;
  }): Promise<ConversionRecord[]>;
}
