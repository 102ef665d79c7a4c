import { createHash } from 'node:crypto';
import type {
  CardWindow,
  DedupKey,
  IdempotencyClaim,
  IntakeEvent,
  IntakeTx,
  MatchCandidate,
  NewLeadRow,
  StoredResponse,
} from '../../domain/intake/intake-store.js';
import { MATCH_KEYS_VERSION } from '../../domain/intake/normalize.js';
import type { TxMixinBase } from './lead-tx.js';

/** A 64-bit advisory lock id per dedup key. */
function lockId(key: DedupKey): bigint {
  return createHash('sha256').update(`${key.teamId}\u001f${key.kind}\u001f${key.value}`).digest().readBigInt64BE(0);
}

function insertRecord(row: NewLeadRow, at: Date): Record<string, unknown> {
  return {
    id: row.id,
    team_id: row.teamId,
    status: row.status,
    type: row.type,
    name: row.name,
    company: row.company,
    title: row.title,
    email: row.email,
    phone: row.phone,
    phone_ext: row.phoneExt,
    // Not a lead column: read by the new_readings insert beside it (lead_phone_reading).
    phone_alts: row.phoneAlts,
    region: row.region,
    industry: row.industry,
    company_size: row.companySize,
    need: row.need,
    budget_min: row.budget?.min ?? null,
    budget_max: row.budget?.max ?? null,
    budget_currency: row.budget?.currency ?? null,
    decision_role: row.decisionRole,
    decision_maker: row.decisionMaker,
    decision_process: row.decisionProcess,
    notes: row.notes,
    source: row.source,
    sub_source: row.subSource,
    campaign: row.campaign,
    channel: row.channel,
    external_id: row.externalId,
    signals: row.signals,
    attributes: row.attributes,
    name_key: row.nameKey,
    company_key: row.companyKey,
    keys_version: MATCH_KEYS_VERSION,
    core_key: row.coreKey,
    loose_key: row.looseKey,
    match_on: row.matchOn ?? null,
    match_possible: row.matchPossible ?? false,
    field_warnings: row.warnings.length > 0 ? row.warnings : null,
    fingerprint: row.fingerprint,
    grade: row.scoring.grade,
    score: row.scoring.score,
    priority: row.scoring.priority,
    score_detail: row.scoring.detail,
    duplicate_of_id: row.duplicateOfId,
    duplicate_due_at: row.duplicateDueAt,
    card_burst_id: row.cardBurstId ?? null,
    pool_id: row.poolId ?? null,
    created_at: at,
    updated_at: at,
  };
}

const pairs = (keys: readonly DedupKey[], kind: DedupKey['kind']) => {
  const of = keys.filter((k) => k.kind === kind);
  return { teams: of.map((k) => k.teamId), values: of.map((k) => k.value) };
};

/** Intake's matching, ids, card pacing, buffered inserts and idempotency keys (IntakeTx). */
export function intakeRows<Base extends TxMixinBase>(base: Base) {
  return class extends base implements IntakeTx {
    async lockKeys(keys: readonly DedupKey[]): Promise<void> {
      if (keys.length === 0) return;
      const ids = [...new Set(keys.map((k) => lockId(k).toString()))];
      // Always in ascending order, so two intakes sharing keys queue instead of deadlocking.
      await this.tx.$queryRaw`
        SELECT count(pg_advisory_xact_lock(k))::int AS n FROM (SELECT unnest(${ids}::bigint[]) AS k ORDER BY 1) s`;
    }

    async findMatches(keys: readonly DedupKey[]): Promise<MatchCandidate[]> {
      const ext = pairs(keys, 'external');
      const email = pairs(keys, 'email');
      const phone = pairs(keys, 'phone');
      const nc = keys.filter((k) => k.kind === 'name_company').map((k) => [k.teamId, ...k.value.split('|')]);
      const core = keys.filter((k) => k.kind === 'name_core').map((k) => [k.teamId, ...k.value.split('|')]);
      // One index probe per key: LATERAL keeps the plan a nested loop of index scans whatever the
      // planner guesses for the size of unnest().
      return this.tx.$queryRaw<MatchCandidate[]>`
        SELECT id, team_id AS "teamId", status, owner_id::text AS "ownerId", duplicate_of_id AS "duplicateOfId",
               fingerprint, external_id AS "externalId", email, phone, phone_ext AS "phoneExt",
               ARRAY(SELECT r.phone FROM lead_phone_reading r WHERE r.lead_id = lead.id) AS "phoneAlts",
               name_key AS "nameKey",
               company_key AS "companyKey", core_key AS "coreKey", loose_key AS "looseKey"
          FROM lead WHERE id IN (
            SELECT m.id FROM unnest(${ext.teams}::text[], ${ext.values}::text[]) k(t, v)
              CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND external_id = k.v) m
            UNION SELECT m.id FROM unnest(${email.teams}::text[], ${email.values}::text[]) k(t, v)
              CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND email = k.v) m
            UNION SELECT m.id FROM unnest(${phone.teams}::text[], ${phone.values}::text[]) k(t, v)
              CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND phone = k.v) m
            UNION SELECT m.id FROM unnest(${phone.teams}::text[], ${phone.values}::text[]) k(t, v)
              CROSS JOIN LATERAL (SELECT lead_id AS id FROM lead_phone_reading WHERE team_id = k.t AND phone = k.v) m
            UNION SELECT m.id FROM unnest(${nc.map((k) => k[0])}::text[], ${nc.map((k) => k[1])}::text[], ${nc.map((k) => k[2])}::text[]) k(t, n, c)
              CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND name_key = k.n AND company_key = k.c) m
            UNION SELECT m.id FROM unnest(${core.map((k) => k[0])}::text[], ${core.map((k) => k[1])}::text[], ${core.map((k) => k[2])}::text[]) k(t, n, c)
              CROSS JOIN LATERAL (SELECT id FROM lead WHERE team_id = k.t AND loose_key = k.n AND core_key = k.c) m)`;
    }

    async findCandidates(ids: readonly number[]): Promise<MatchCandidate[]> {
      if (ids.length === 0) return [];
      return this.tx.$queryRaw<MatchCandidate[]>`
        SELECT id, team_id AS "teamId", status, owner_id::text AS "ownerId", duplicate_of_id AS "duplicateOfId",
               fingerprint, external_id AS "externalId", email, phone, phone_ext AS "phoneExt",
               ARRAY(SELECT r.phone FROM lead_phone_reading r WHERE r.lead_id = lead.id) AS "phoneAlts",
               name_key AS "nameKey",
               company_key AS "companyKey", core_key AS "coreKey", loose_key AS "looseKey"
          FROM lead WHERE id = ANY(${[...ids]}::int[])`;
    }

    async nextLeadIds(count: number): Promise<number[]> {
      if (count === 0) return [];
      const rows = await this.tx.$queryRaw<{ id: number }[]>`
        SELECT nextval('lead_id_seq')::int AS id FROM generate_series(1, ${count}::int)`;
      return rows.map((r) => r.id);
    }

    async countCards(teamId: string, windowStart: Date, cards: number, listPool = ''): Promise<CardWindow> {
      // The upsert holds the window's row until commit: a concurrent intake of the team waits here.
      const [row] = await this.tx.$queryRaw<{ id: number; cards: number; sealed: boolean }[]>`
        INSERT INTO card_burst (team_id, list_pool, window_start, cards) VALUES (${teamId}, ${listPool}, ${windowStart}, ${cards})
        ON CONFLICT (team_id, list_pool, window_start) DO UPDATE SET cards = card_burst.cards + excluded.cards
        RETURNING id, cards, sealed_at IS NOT NULL AS sealed`;
      if (!row) throw new Error('card_burst upsert returned no row');
      return { burstId: row.id, before: row.cards - cards, sealed: row.sealed };
    }

    async deferBurst(burstId: number, at: Date): Promise<void> {
      // A summary a relay is sending (locked) is left alone: its seal waits for this intake's hold on
      // the window's row, so the leads gathered here are on it anyway.
      await this.tx.$executeRaw`
        UPDATE outbox_message SET available_at = ${at}
         WHERE kind = 'lead.burst' AND sent_at IS NULL AND dead_at IS NULL AND locked_until IS NULL
           AND (payload->>'burstId')::int = ${burstId}`;
    }

    /** Queued: written with the events and outbox messages by `flush`, before commit. */
    async insertLeads(rows: readonly NewLeadRow[], at: Date): Promise<void> {
      for (const row of rows) this.newLeads.push(insertRecord(row, at));
    }

    /** Queued, like `insertLeads`. */
    async recordAlerts(alerts: readonly { leadId: number; memberId: string }[], at: Date): Promise<void> {
      for (const a of alerts) this.newAlerts.push({ lead_id: a.leadId, member_id: a.memberId, at });
    }

    /** Queued, like `insertLeads`. */
    async recordEvents(events: readonly IntakeEvent[], at: Date): Promise<void> {
      for (const e of events)
        this.newEvents.push({ lead_id: e.leadId, team_id: e.teamId, action: e.action, reason: e.reason, at });
    }

    async claimIdempotencyKey(scope: string, key: string, requestHash: string, at: Date): Promise<IdempotencyClaim> {
      // A concurrent first request holds the row's unique slot: this insert waits for it to commit.
      const inserted = await this.tx.$queryRaw<{ key: string }[]>`
        INSERT INTO idempotency_key (scope, key, request_hash, created_at) VALUES (${scope}, ${key}, ${requestHash}, ${at})
        ON CONFLICT DO NOTHING RETURNING key`;
      if (inserted.length === 1) return { kind: 'new' };
      const [row] = await this.tx.$queryRaw<{ requestHash: string; statusCode: number | null; response: unknown }[]>`
        SELECT request_hash AS "requestHash", status_code AS "statusCode", response
          FROM idempotency_key WHERE scope = ${scope} AND key = ${key}`;
      if (!row) throw new Error('idempotency key neither inserted nor found');
      if (row.requestHash !== requestHash) return { kind: 'conflict' };
      return { kind: 'replay', response: { status: row.statusCode ?? 200, body: row.response } };
    }

    async saveIdempotentResponse(scope: string, key: string, response: StoredResponse): Promise<void> {
      await this.tx.$executeRaw`
        UPDATE idempotency_key SET status_code = ${response.status}, response = ${JSON.stringify(response.body)}::jsonb
         WHERE scope = ${scope} AND key = ${key}`;
    }
  };
}
