import type { TeamDirectory } from '../leads/lead-store.js';
import type { Clock } from '../shared/clock.js';
import { dedupKeys, MatchIndex } from './dedup.js';
import type { IntakeEvent, IntakeStore, IntakeTx, MatchCandidate, NewLeadRow, StoredResponse } from './intake-store.js';
import { queueNewLeadCards } from './new-lead-cards.js';
import type { PreparedLead } from './prepare-lead.js';

/** How a lead came in; `chat` is a form in a messenger. Written to the `created` audit row. */
export type IntakeChannel = 'api' | 'batch_api' | 'csv' | 'chat';

/**
 * What happened to one incoming lead:
 * - created: a new lead in the pool, card queued;
 * - merged: the same person as a pooled lead; stored attached to it, no second card;
 * - awaiting_owner: the same person as an owned lead; its owner is asked before anything is pooled;
 * - duplicate: identical to a lead already stored (or earlier in the batch); nothing stored.
 */
export type IntakeOutcome =
  | { kind: 'created'; leadId: number }
  | { kind: 'merged'; leadId: number; duplicateOf: number }
  | { kind: 'awaiting_owner'; leadId: number; duplicateOf: number; ownerId: string }
  | { kind: 'duplicate'; duplicateOf: number | null; sameAsIndex: number | null };

export interface IntakeDeps {
  store: IntakeStore;
  teams: TeamDirectory;
  clock: Clock;
}

export interface IdempotencyRequest {
  scope: string;
  key: string;
  requestHash: string;
  /** Builds the answer to store for replays from the outcomes. */
  respond(outcomes: IntakeOutcome[]): StoredResponse;
}

export type IntakeResult =
  | { kind: 'done'; outcomes: IntakeOutcome[]; response: StoredResponse | null }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'idempotency_conflict' };

/** Stores a batch of cleaned leads in one transaction; a failure leaves nothing half-written. */
export async function intakeLeads(
  deps: IntakeDeps,
  leads: readonly PreparedLead[],
  channel: IntakeChannel,
  idempotency?: IdempotencyRequest,
  options: { postCards?: boolean } = {},
): Promise<IntakeResult> {
  const now = deps.clock.now();
  return deps.store.intakeTransaction(async (tx): Promise<IntakeResult> => {
    if (idempotency) {
      const claim = await tx.claimIdempotencyKey(idempotency.scope, idempotency.key, idempotency.requestHash, now);
      if (claim.kind === 'replay') return { kind: 'replay', response: claim.response };
      if (claim.kind === 'conflict') return { kind: 'idempotency_conflict' };
    }
    const outcomes = await storeLeads(deps, tx, leads, channel, now, options.postCards ?? true);
    let response: StoredResponse | null = null;
    if (idempotency) {
      response = idempotency.respond(outcomes);
      await tx.saveIdempotentResponse(idempotency.scope, idempotency.key, response);
    }
    return { kind: 'done', outcomes, response };
  });
}

async function storeLeads(
  deps: IntakeDeps,
  tx: IntakeTx,
  leads: readonly PreparedLead[],
  channel: IntakeChannel,
  now: Date,
  postCards: boolean,
): Promise<IntakeOutcome[]> {
  const keysPerLead = leads.map(dedupKeys);
  const allKeys = keysPerLead.flat();
  await tx.lockKeys(allKeys);
  const index = new MatchIndex();
  const existing = allKeys.length > 0 ? await tx.findMatches(allKeys) : [];
  for (const candidate of existing) index.add(candidate);

  const ids = await tx.nextLeadIds(leads.length);
  const rows: NewLeadRow[] = [];
  const events: IntakeEvent[] = [];
  const outcomes: IntakeOutcome[] = [];
  const batchIndexOf = new Map<number, number>();
  const primaryOf = (c: MatchCandidate) => c.duplicateOfId ?? c.id;

  leads.forEach((lead, i) => {
    const matches = index.matches(keysPerLead[i] ?? []);
    const same = matches.find((c) => c.fingerprint === lead.fingerprint);
    if (same) {
      const earlier = batchIndexOf.get(same.id);
      outcomes.push({
        kind: 'duplicate',
        duplicateOf: earlier === undefined ? primaryOf(same) : null,
        sameAsIndex: earlier ?? null,
      });
      return;
    }
    const id = ids[i] as number;
    const primary = matches.find((c) => c.status === 'pooled' || c.status === 'owned');
    let row: NewLeadRow;
    if (!primary) {
      row = { ...lead, id, channel, status: 'pooled', duplicateOfId: null, duplicateDueAt: null };
      outcomes.push({ kind: 'created', leadId: id });
    } else if (primary.status === 'owned' && primary.ownerId) {
      const team = deps.teams.find(lead.teamId);
      const dueAt = new Date(now.getTime() + (team?.intake.duplicateAnswerMs ?? 0));
      row = { ...lead, id, channel, status: 'awaiting_owner', duplicateOfId: primary.id, duplicateDueAt: dueAt };
      outcomes.push({ kind: 'awaiting_owner', leadId: id, duplicateOf: primary.id, ownerId: primary.ownerId });
    } else {
      row = { ...lead, id, channel, status: 'merged', duplicateOfId: primary.id, duplicateDueAt: null };
      outcomes.push({ kind: 'merged', leadId: id, duplicateOf: primary.id });
    }
    rows.push(row);
    events.push({ leadId: id, teamId: lead.teamId, action: 'created', reason: channel });
    if (row.duplicateOfId)
      events.push({
        leadId: row.duplicateOfId,
        teamId: lead.teamId,
        action: 'duplicate_received',
        reason: `lead:${id}`,
      });
    batchIndexOf.set(id, i);
    index.add({ ...row, ownerId: null });
  });

  if (postCards)
    await queueNewLeadCards(
      tx,
      deps.teams,
      rows.filter((r) => r.status === 'pooled'),
      now,
    );
  await tx.insertLeads(rows, now);
  await tx.recordEvents(events, now);
  for (const outcome of outcomes) {
    if (outcome.kind === 'awaiting_owner') {
      await tx.enqueue(
        {
          kind: 'duplicate.ask',
          leadId: outcome.leadId,
          memberId: outcome.ownerId,
          existingLeadId: outcome.duplicateOf,
        },
        now,
      );
    }
  }
  return outcomes;
}
