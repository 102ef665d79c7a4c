import { isSystemAssigned, routeLead } from '../distribution/pools.js';
import type { TeamDirectory } from '../leads/lead-store.js';
import type { Clock } from '../shared/clock.js';
import { dedupKeys, type MatchHit, MatchIndex } from './dedup.js';
import type {
  DedupKey,
  IntakeEvent,
  IntakeStore,
  IntakeTx,
  MatchCandidate,
  NewLeadRow,
  StoredResponse,
} from './intake-store.js';
import { queueNewLeadCards } from './new-lead-cards.js';
import type { PreparedLead } from './prepare-lead.js';

/** How a lead came in; `chat` is a form in a messenger. Written to the `created` audit row. */
export type IntakeChannel = 'api' | 'batch_api' | 'csv' | 'chat';

/** How a repeat was recognised: the key it shared, and the lead it shared it with when that one was merged on. */
export interface MatchReason {
  on: DedupKey['kind'];
  /**
   * Exact: the same e-mail, mobile, external id, office line and name, or name and company.
   * Possible: a shared fixed line under another name or extension, or a name at a company of a similar name.
   */
  certainty: 'exact' | 'possible';
  /** The merged lead that holds the key, when the match was followed from it to the lead it went into. */
  via: number | null;
}

/**
 * What happened to one incoming lead:
 * - created: a new lead in the pool, card queued;
 * - merged: the same person as a pooled lead; stored attached to it, no second card;
 * - awaiting_owner: the same person as an owned lead; its owner is asked before anything is pooled;
 * - duplicate: identical to a lead already stored (or earlier in the batch); nothing stored.
 */
export type IntakeOutcome =
  /** `possible`: it may be a lead already stored; it is pooled with a note, never merged without a person's answer. */
  | { kind: 'created'; leadId: number; possible?: { duplicateOf: number; match: MatchReason } }
  | { kind: 'merged'; leadId: number; duplicateOf: number; match: MatchReason }
  | { kind: 'awaiting_owner'; leadId: number; duplicateOf: number; ownerId: string; match: MatchReason }
  | { kind: 'duplicate'; duplicateOf: number | null; sameAsIndex: number | null };

export interface IntakeDeps {
  store: IntakeStore;
  teams: TeamDirectory;
  clock: Clock;
  /**
   * Gives the new leads of system-assigned pools their owners, once they are stored. It never
   * throws: a lead it misses stays in the pool, and the sweep gives it an owner on its next run.
   */
  assignFromPools?: (leadIds: readonly number[]) => Promise<void>;
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
  const toAssign: number[] = [];
  const result = await deps.store.intakeTransaction(async (tx): Promise<IntakeResult> => {
    toAssign.length = 0; // a retried transaction starts over
    if (idempotency) {
      const claim = await tx.claimIdempotencyKey(idempotency.scope, idempotency.key, idempotency.requestHash, now);
      if (claim.kind === 'replay') return { kind: 'replay', response: claim.response };
      if (claim.kind === 'conflict') return { kind: 'idempotency_conflict' };
    }
    const outcomes = await storeLeads(deps, tx, leads, channel, now, options.postCards ?? true, toAssign);
    let response: StoredResponse | null = null;
    if (idempotency) {
      response = idempotency.respond(outcomes);
      await tx.saveIdempotentResponse(idempotency.scope, idempotency.key, response);
    }
    return { kind: 'done', outcomes, response };
  });
  if (toAssign.length > 0) await deps.assignFromPools?.(toAssign);
  return result;
}

async function storeLeads(
  deps: IntakeDeps,
  tx: IntakeTx,
  leads: readonly PreparedLead[],
  channel: IntakeChannel,
  now: Date,
  postCards: boolean,
  toAssign: number[],
): Promise<IntakeOutcome[]> {
  const keysPerLead = leads.map(dedupKeys);
  const allKeys = keysPerLead.flat();
  await tx.lockKeys(allKeys);
  const index = new MatchIndex();
  const existing = allKeys.length > 0 ? await tx.findMatches(allKeys) : [];
  for (const candidate of existing) index.add(candidate);
  const survivors = await survivorsOf(tx, existing);

  const ids = await tx.nextLeadIds(leads.length);
  const rows: NewLeadRow[] = [];
  const events: IntakeEvent[] = [];
  const outcomes: IntakeOutcome[] = [];
  const batchIndexOf = new Map<number, number>();

  leads.forEach((lead, i) => {
    const hits = index.matches(keysPerLead[i] ?? [], lead);
    const same = hits.find((h) => h.candidate.fingerprint === lead.fingerprint)?.candidate;
    if (same) {
      const earlier = batchIndexOf.get(same.id);
      outcomes.push({
        kind: 'duplicate',
        duplicateOf: earlier === undefined ? survivors.of(same).id : null,
        sameAsIndex: earlier ?? null,
      });
      return;
    }
    const id = ids[i] as number;
    // A match on a lead that was merged into another is a match on the lead it lives on in.
    const hit = hits
      .map((h) => ({ ...h, lead: survivors.of(h.candidate) }))
      .find((h) => h.lead.status === 'pooled' || h.lead.status === 'owned');
    const primary = hit?.lead;
    const match = hit && matchReasonOf(hit);
    let row: NewLeadRow;
    if (!primary || !match) {
      row = { ...lead, id, channel, status: 'pooled', duplicateOfId: null, duplicateDueAt: null };
      outcomes.push({ kind: 'created', leadId: id });
    } else if (match.certainty === 'possible' && primary.status === 'pooled') {
      // Nobody owns the lead it may be: it is pooled beside it, its card says which, nothing is merged.
      row = {
        ...lead,
        id,
        channel,
        status: 'pooled',
        duplicateOfId: primary.id,
        duplicateDueAt: null,
        matchOn: match.on,
        matchPossible: match.certainty === 'possible',
      };
      outcomes.push({ kind: 'created', leadId: id, possible: { duplicateOf: primary.id, match } });
    } else if (primary.status === 'owned' && primary.ownerId) {
      const team = deps.teams.find(lead.teamId);
      const dueAt = new Date(now.getTime() + (team?.intake.duplicateAnswerMs ?? 0));
      row = {
        ...lead,
        id,
        channel,
        status: 'awaiting_owner',
        duplicateOfId: primary.id,
        duplicateDueAt: dueAt,
        matchOn: match.on,
        matchPossible: match.certainty === 'possible',
      };
      outcomes.push({ kind: 'awaiting_owner', leadId: id, duplicateOf: primary.id, ownerId: primary.ownerId, match });
    } else {
      row = {
        ...lead,
        id,
        channel,
        status: 'merged',
        duplicateOfId: primary.id,
        duplicateDueAt: null,
        matchOn: match.on,
        matchPossible: match.certainty === 'possible',
      };
      outcomes.push({ kind: 'merged', leadId: id, duplicateOf: primary.id, match });
    }
    rows.push(row);
    events.push({ leadId: id, teamId: lead.teamId, action: 'created', reason: channel });
    if (row.duplicateOfId && row.status !== 'pooled')
      events.push({
        leadId: row.duplicateOfId,
        teamId: lead.teamId,
        action: 'duplicate_received',
        reason: `lead:${id}`,
      });
    batchIndexOf.set(id, i);
    const candidate = { ...row, ownerId: null };
    index.add(candidate);
    survivors.add(candidate);
  });

  const pooled = rows.filter((r) => r.status === 'pooled');
  const systemAssigned = routeToPools(deps.teams, pooled);
  if (postCards) toAssign.push(...systemAssigned.map((r) => r.id));
  // A lead the system gives to a rep is posted once it has its owner (see `assignFromPools`).
  if (postCards)
    await queueNewLeadCards(
      tx,
      deps.teams,
      pooled.filter((r) => !systemAssigned.includes(r)),
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
          on: outcome.match.on,
        },
        now,
      );
    }
  }
  return outcomes;
}

/** Marks each pooled lead with its team's pool; returns those whose pool gives leads out itself. */
function routeToPools(teams: TeamDirectory, rows: readonly NewLeadRow[]): NewLeadRow[] {
  const assigned: NewLeadRow[] = [];
  for (const row of rows) {
    const pools = teams.find(row.teamId)?.pools;
    if (!pools) continue;
    const pool = routeLead(pools, { ...row, grade: row.scoring.grade });
    row.poolId = pool.id;
    if (isSystemAssigned(pool)) assigned.push(row);
  }
  return assigned;
}

/** Merged and waiting leads point at the lead they belong to; chains are followed this far at most. */
const MERGE_CHAIN_LIMIT = 8;

/**
 * The lead each candidate lives on in: a lead merged into another (or waiting for its owner's
 * answer) is followed to that one, and on through any chain, so every key a merged lead brought
 * (a new e-mail, a second phone) keeps finding the person.
 */
async function survivorsOf(tx: IntakeTx, found: readonly MatchCandidate[]) {
  const known = new Map(found.map((c) => [c.id, c]));
  const pointsOn = (c: MatchCandidate) => (c.status === 'merged' || c.status === 'awaiting_owner') && c.duplicateOfId;
  for (let depth = 0; depth < MERGE_CHAIN_LIMIT; depth++) {
    const missing = [...known.values()].flatMap((c) =>
      pointsOn(c) && !known.has(c.duplicateOfId as number) ? [c.duplicateOfId as number] : [],
    );
    if (missing.length === 0) break;
    for (const c of await tx.findCandidates([...new Set(missing)])) known.set(c.id, c);
  }
  return {
    add: (c: MatchCandidate) => void known.set(c.id, c),
    of: (c: MatchCandidate): MatchCandidate => {
      let at = c;
      for (let step = 0; step < MERGE_CHAIN_LIMIT && pointsOn(at); step++) {
        const next = known.get(at.duplicateOfId as number);
        if (!next) break;
        at = next;
      }
      return at;
    },
  };
}

/** How a hit was made: its key, whether that key names one person for certain, and the merged lead it went through. */
function matchReasonOf(hit: MatchHit & { lead: MatchCandidate }): MatchReason {
  return {
    on: hit.on,
    certainty: hit.certainty,
    via: hit.lead !== hit.candidate ? hit.candidate.id : null,
  };
}
