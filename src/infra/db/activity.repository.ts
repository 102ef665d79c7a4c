import type { ConversionTx } from '../../domain/conversions/conversion-store.js';
import type { FollowUpTx } from '../../domain/follow-ups/follow-up-store.js';
import type { Lead, MemberPause, Signals } from '../../domain/leads/lead.js';
import type { PauseTx } from '../../domain/members/pause-store.js';
import type { DigestTx } from '../../domain/reports/digest-store.js';
import type { ScoreResult } from '../../domain/scoring/score-rules.js';
import type { ScoringTx } from '../../domain/scoring/scoring-store.js';
import type { TxMixinBase } from './lead-tx.js';

/** One write each: a rescore, a follow-up, a digest's claim, a pause, a conversion. */
export function activityRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements ScoringTx, FollowUpTx, DigestTx, PauseTx, ConversionTx {
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

    async recordFollowUp(input: Parameters<FollowUpTx['recordFollowUp']>[0]): Promise<void> {
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

    async claimDigest(run: Parameters<DigestTx['claimDigest']>[0]): Promise<'first' | 'claimed' | 'taken'> {
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

    async setPause(memberIds: readonly string[], pause: MemberPause | null): Promise<void> {
      await this.tx.member.updateMany({
        where: { id: { in: [...memberIds] } },
        data: { pausedAt: pause?.since ?? null, pausedUntil: pause?.until ?? null },
      });
    }

    async recordConversion(input: Parameters<ConversionTx['recordConversion']>[0]): Promise<{
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
  };
}
