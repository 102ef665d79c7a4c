import type { ExtensionTx, SlaTx } from '../../domain/sla/sla-store.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { TxMixinBase } from './lead-tx.js';

/** The deadline sweeps' moves and requests for more time (SlaTx, ExtensionTx). */
export function slaRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements SlaTx, ExtensionTx {
    async remindDue(now: Date, limit: number): Promise<{ leadId: number; ownerId: string; dueAt: Date }[]> {
      const columns = { mark: 'reminder_sent_at', startsAt: 'remind_at', endsAt: 'follow_up_due_at' };
      return (await this.markOnce(columns, now, limit)).map((m) => ({
        leadId: m.leadId,
        ownerId: m.ownerId,
        dueAt: m.endsAt,
      }));
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

    async pendingExtension(leadId: number): Promise<{ id: number; memberId: string; reason: string } | null> {
      const row = await this.tx.extensionRequest.findFirst({
        where: { leadId, status: 'pending' },
        orderBy: { id: 'desc' },
      });
      return row ? { id: row.id, memberId: row.memberId, reason: row.reason } : null;
    }

    async createExtensionRequest(input: {
      leadId: number;
      memberId: string;
      reason: string;
      at: Date;
    }): Promise<number> {
      const row = await this.tx.extensionRequest.create({
        data: { leadId: input.leadId, memberId: input.memberId, reason: input.reason, requestedAt: input.at },
      });
      return row.id;
    }

    async decideExtension(input: Parameters<ExtensionTx['decideExtension']>[0]): Promise<void> {
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

    async extendDeadline(input: Parameters<ExtensionTx['extendDeadline']>[0]): Promise<boolean> {
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
  };
}
