import type { Lead } from '../leads/lead.js';

export interface ConversionTx {
  /** Records a conversion's customer (found by company, or new), contact and deal. */
  recordConversion(input: {
    lead: Lead;
    memberId: string;
    deal: { value: number | null; currency: string | null; expectedClose: Date | null };
    at: Date;
  }): Promise<{ customerId: number; customerName: string }>;
}
