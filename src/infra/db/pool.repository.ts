import type { PoolMemberStats, PoolTx } from '../../domain/distribution/pool-store.js';
import type { Lead } from '../../domain/leads/lead.js';
import type { TxMixinBase } from './lead-tx.js';

/** A pool's turn and the counts its modes choose by (PoolTx). */
export function poolRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements PoolTx {
    async lockPool(teamId: string, poolId: string): Promise<void> {
      await this.tx
        .$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`pool:${teamId}:${poolId}`}, 0))::text AS locked`;
    }

    async poolStats(input: {
      teamId: string;
      poolId: string;
      leadId: number;
      memberIds: readonly string[];
      dayStart: Date;
      now: Date;
    }): Promise<Map<string, PoolMemberStats>> {
      const ids = [...input.memberIds];
      // Each count grouped once over its index, not once per member: the day's events are read once
      // however many candidates there are.
      const rows = await this.tx.$queryRaw<
        { id: string; assigned: number; held: number; taken_today: number; banned_until: Date | null }[]
      >`
        WITH m AS (SELECT unnest(${ids}::uuid[]) AS id),
        shares AS (SELECT member_id AS id, assigned FROM pool_share
                    WHERE team_id = ${input.teamId} AND pool_id = ${input.poolId} AND member_id = ANY(${ids}::uuid[])),
        held AS (SELECT owner_id AS id, count(*)::int AS n FROM lead
                  WHERE owner_id = ANY(${ids}::uuid[]) AND status = 'owned' GROUP BY owner_id),
        taken AS (SELECT to_owner_id AS id, count(*)::int AS n FROM lead_event
                   WHERE team_id = ${input.teamId} AND action IN ('claimed', 'assigned') AND at >= ${input.dayStart}
                     AND to_owner_id = ANY(${ids}::uuid[]) GROUP BY to_owner_id),
        bans AS (SELECT member_id AS id, max(until) AS until FROM claim_ban
                  WHERE lead_id = ${input.leadId} AND until > ${input.now} GROUP BY member_id)
        SELECT m.id::text AS id, coalesce(s.assigned, 0) AS assigned, coalesce(h.n, 0) AS held,
               coalesce(t.n, 0) AS taken_today, b.until AS banned_until
          FROM m LEFT JOIN shares s ON s.id = m.id LEFT JOIN held h ON h.id = m.id
                 LEFT JOIN taken t ON t.id = m.id LEFT JOIN bans b ON b.id = m.id`;
      return new Map(
        rows.map((r) => [
          r.id,
          { assigned: r.assigned, held: r.held, takenToday: r.taken_today, bannedUntil: r.banned_until },
        ]),
      );
    }

    async rankingRecords(
      teamId: string,
      memberIds: readonly string[],
      since: Date,
    ): Promise<Map<string, { conversions: number; followUps: number }>> {
      const ids = [...memberIds];
      const rows = await this.tx.$queryRaw<{ id: string; conversions: number; follow_ups: number }[]>`
        WITH m AS (SELECT unnest(${ids}::uuid[]) AS id),
        won AS (SELECT owner_id AS id, count(*)::int AS n FROM lead
                 WHERE team_id = ${teamId} AND stage = 'converted' AND converted_at >= ${since}
                   AND owner_id = ANY(${ids}::uuid[]) GROUP BY owner_id),
        work AS (SELECT member_id AS id, count(*)::int AS n FROM follow_up
                  WHERE member_id = ANY(${ids}::uuid[]) AND at >= ${since} GROUP BY member_id)
        SELECT m.id::text AS id, coalesce(w.n, 0) AS conversions, coalesce(f.n, 0) AS follow_ups
          FROM m LEFT JOIN won w ON w.id = m.id LEFT JOIN work f ON f.id = m.id`;
      return new Map(rows.map((r) => [r.id, { conversions: r.conversions, followUps: r.follow_ups }]));
    }

    async setLeadPool(input: { lead: Lead; poolId: string; actorId: string; at: Date }): Promise<void> {
      const { lead, poolId, actorId, at } = input;
      await this.tx.$executeRaw`UPDATE lead SET pool_id = ${poolId}, updated_at = ${at} WHERE id = ${lead.id}`;
      await this.tx.$executeRaw`
        INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, reason, at)
        VALUES (${lead.id}, ${lead.teamId}, 'pool_moved', ${actorId}::uuid, 'member', ${`${lead.poolId ?? 'default'}>${poolId}`}, ${at})`;
    }

    async takenToday(teamId: string, poolId: string | null, dayStart: Date): Promise<{ team: number; pool: number }> {
      const [row] = await this.tx.$queryRaw<{ team: number; pool: number }[]>`
        SELECT count(*)::int AS team, count(*) FILTER (WHERE l.pool_id = ${poolId})::int AS pool
          FROM lead_event e JOIN lead l ON l.id = e.lead_id
         WHERE e.team_id = ${teamId} AND e.action IN ('claimed', 'assigned') AND e.at >= ${dayStart}`;
      return { team: row?.team ?? 0, pool: row?.pool ?? 0 };
    }

    async recordPoolShare(
      teamId: string,
      poolId: string,
      raised: readonly { memberId: string; assigned: number }[],
      chosen: string,
    ): Promise<void> {
      const rows = [...raised.filter((r) => r.memberId !== chosen), ...raised.filter((r) => r.memberId === chosen)];
      for (const r of rows)
        await this.tx.$executeRaw`
          INSERT INTO pool_share (team_id, pool_id, member_id, assigned) VALUES (${teamId}, ${poolId}, ${r.memberId}::uuid, ${r.assigned})
          ON CONFLICT (team_id, pool_id, member_id) DO UPDATE SET assigned = greatest(pool_share.assigned, excluded.assigned)`;
      await this.tx.$executeRaw`
        INSERT INTO pool_share (team_id, pool_id, member_id, assigned) VALUES (${teamId}, ${poolId}, ${chosen}::uuid, 1)
        ON CONFLICT (team_id, pool_id, member_id) DO UPDATE SET assigned = pool_share.assigned + 1`;
    }
  };
}
