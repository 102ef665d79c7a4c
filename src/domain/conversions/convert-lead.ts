import type { LeadTx } from '../leads/lead-store.js';
import { type WorkLeadDeps, type WorkLeadTarget, workLead } from '../leads/work-lead.js';
import { DomainError } from '../shared/errors.js';
import { parseWhen } from '../shared/when.js';
import type { ConversionTx } from './conversion-store.js';

/** A deal as typed after `/lead convert 42`: "12000 EUR close: 2026-12-20", "1.2万", "" (no value). */
export interface DealInput {
  value: number | null;
  currency: string | null;
  expectedClose: Date | null;
}

export interface Converted {
  customerId: number;
  customerName: string;
  deal: DealInput;
}

/** The outgoing webhook's sink name: conversions are delivered through the outbox like messages. */
export const WEBHOOK_SINK = 'webhook';

const MAX_DEAL = 999_999_999_999.99;
const MULTIPLIERS: Record<string, number> = { k: 1_000, w: 10_000, 万: 10_000, m: 1_000_000 };

/** Reads the deal words; anything it cannot place is refused, so a typo never becomes a value. */
export function readDeal(text: string, ctx: { currency: string; now: Date; timeZone: string }): DealInput {
  const bad = () => new DomainError('convert.bad_deal', { text: text.trim().slice(0, 60) });
  const [dealPart = '', closePart] = text.split(/(?:^|\s)(?:close|预计成交|成交日期)\s*[:：]\s*/i);
  let value: number | null = null;
  let currency: string | null = null;
  for (const word of dealPart.trim().split(/\s+/).filter(Boolean)) {
    const amount = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?([kKwWmM万])?$/.exec(word);
    if (amount && value === null) {
      const base = Number(`${(amount[1] as string).replace(/,/g, '')}.${amount[2] ?? '0'}`);
      value = Math.round(base * (MULTIPLIERS[(amount[3] ?? '').toLowerCase()] ?? 1) * 100) / 100;
      if (value > MAX_DEAL) throw bad();
    } else if (/^[A-Za-z]{3}$/.test(word) && currency === null) {
      currency = word.toUpperCase();
    } else {
      throw bad();
    }
  }
  let expectedClose: Date | null = null;
  if (closePart !== undefined) {
    const when = parseWhen(closePart, { now: ctx.now, timeZone: ctx.timeZone });
    if (!when.ok) throw bad();
    expectedClose = when.at;
  }
  return { value, currency: value === null ? currency : (currency ?? ctx.currency), expectedClose };
}

/**
 * Converts an owned lead: closes it as converted, records the deal and the customer and contact it
 * became (a lead of a customer's company joins that customer), and queues the team's webhook.
 */
export function convertLead(deps: WorkLeadDeps<LeadTx & ConversionTx>, target: WorkLeadTarget, dealText = '') {
  return workLead<Converted, LeadTx & ConversionTx>(deps, target, {
    action: 'convert',
    plan: async ({ lead, team, member, tx, now }) => {
      const deal = readDeal(dealText, { currency: team.intake.currency, now, timeZone: team.timeZone });
      return {
        move: { kind: 'convert' },
        audit: { action: 'converted', reason: deal.value === null ? '' : `${deal.value} ${deal.currency}` },
        effects: async () => {
          const customer = await tx.recordConversion({ lead, memberId: member.id, deal, at: now });
          if (team.webhook) await tx.enqueue({ kind: 'conversion.webhook', leadId: lead.id }, now, [WEBHOOK_SINK]);
          return { ...customer, deal };
        },
      };
    },
  });
}
