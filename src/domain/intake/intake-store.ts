import type { LeadStatus, Member } from '../leads/lead.js';
import type { MatchKeyKind, Notification } from '../notifications/notification.js';
import type { PreparedLead } from './prepare-lead.js';

export type DedupKind = MatchKeyKind;

/** One way two leads of a team can be the same person, strongest first. */
export interface DedupKey {
  teamId: string;
  kind: DedupKind;
  value: string;
}

/** An existing lead that shares a key with an incoming one. */
export interface MatchCandidate {
  id: number;
  teamId: string;
  status: LeadStatus;
  ownerId: string | null;
  duplicateOfId: number | null;
  fingerprint: string;
  externalId: string | null;
  email: string | null;
  phone: string | null;
  phoneExt: string | null;
  /** Other regions' readings of the phone's digits (see `normalizePhone`). */
  phoneAlts: string[] | null;
  nameKey: string;
  companyKey: string | null;
  /** The company's distinctive core, else its key (see `companyCore`): a match on it is only possible. */
  coreKey: string | null;
  /** The name folded looser (see `looseNameKey`), for possible matches with `coreKey`. */
  looseKey: string;
}

export interface NewLeadRow extends PreparedLead {
  id: number;
  status: LeadStatus;
  /** How it came in (api, batch_api, csv, chat). */
  channel: string;
  duplicateOfId: number | null;
  duplicateDueAt: Date | null;
  /** Set when its first card is a line of a burst's summary card. */
  cardBurstId?: number;
  /** The team's pool it goes to, when the team has pools. */
  poolId?: string;
  /** For a repeat: the key it shared with `duplicateOfId`. */
  matchOn?: DedupKind;
  /** The match was only possible: asked about, never merged. */
  matchPossible?: boolean;
}

/** A team's new-lead cards in one window, counted with the ones being added. */
export interface CardWindow {
  burstId: number;
  /** Cards counted in the window before these. */
  before: number;
  /** The window's summary has already gone out: nothing joins it any more. */
  sealed: boolean;
}

export interface IntakeEvent {
  leadId: number;
  teamId: string;
  action: 'created' | 'duplicate_received';
  reason: string;
}

/** The first answer to a request sent with an Idempotency-Key, replayed for repeats. */
export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyClaim = { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'conflict' };

/** Work done inside one intake transaction. */
export interface IntakeTx {
  /** Serialises intakes that share any key (advisory locks, taken in a fixed order). */
  lockKeys(keys: readonly DedupKey[]): Promise<void>;
  /** Leads of any status sharing a key; the caller picks. */
  findMatches(keys: readonly DedupKey[]): Promise<MatchCandidate[]>;
  /** These leads as match candidates: the leads that merged ones were merged into. */
  findCandidates(ids: readonly number[]): Promise<MatchCandidate[]>;
  nextLeadIds(count: number): Promise<number[]>;
  insertLeads(rows: readonly NewLeadRow[], at: Date): Promise<void>;
  recordEvents(events: readonly IntakeEvent[], at: Date): Promise<void>;
  enqueue(notification: Notification, at: Date): Promise<void>;
  /**
   * Adds `cards` new-lead cards to the team's window starting at `windowStart`; concurrent intakes
   * of one team and window take turns here, so each learns the exact count before its own.
   */
  countCards(teamId: string, windowStart: Date, cards: number, listPool?: string): Promise<CardWindow>;
  /** Moves the send time of a burst's summary that is still waiting (not being sent) to `at`. */
  deferBurst(burstId: number, at: Date): Promise<void>;
  /** The team's members, to pick whom a good lead is announced to. */
  teamMembers(teamId: string): Promise<Member[]>;
  /** Queued with the new leads: the qualified reps each good lead was announced to. */
  recordAlerts(alerts: readonly { leadId: number; memberId: string }[], at: Date): Promise<void>;
  /** Inserts the key, or reports the earlier request's answer (or a different body under the key). */
  claimIdempotencyKey(scope: string, key: string, requestHash: string, at: Date): Promise<IdempotencyClaim>;
  saveIdempotentResponse(scope: string, key: string, response: StoredResponse): Promise<void>;
}

export interface IntakeStore {
  intakeTransaction<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T>;
}
