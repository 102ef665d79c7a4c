import { DomainError } from '../shared/errors.js';
import { type ClosedAs, formatLeadRef, type LeadStage, type LeadStatus } from './lead.js';

/** Stages a lead works through while open, in order. */
export const OPEN_STAGES = ['new', 'contacted', 'qualified'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];

/** Where a lead is and how far it got: the part of a lead every move reads and writes. */
export interface LeadState {
  id: number;
  status: LeadStatus;
  stage: LeadStage;
  ownerId: string | null;
}

/** Every way a lead can change state. Each has exactly one row in `MOVES`. */
export type LeadMove =
  | { kind: 'claim'; ownerId: string }
  | { kind: 'assign'; ownerId: string }
  | { kind: 'release' }
  | { kind: 'reclaim' }
  | { kind: 'follow_up' }
  | { kind: 'stage'; to: OpenStage; reason?: string }
  | { kind: 'convert' }
  | { kind: 'close'; as: ClosedAs }
  | { kind: 'reopen' }
  | { kind: 'settle_duplicate'; as: 'pooled' | 'merged' };

/** What happens to the follow-up deadline: a new one starts, it ends, or it stays as it is. */
export type DeadlineEffect = 'restart' | 'end' | 'keep';

/** The outcome of a move: the exact state it starts from, the state it ends in, and what it stamps. */
export interface Transition {
  from: LeadState;
  to: LeadState;
  /** Stages this move reaches; the time each is first reached is stamped once and kept. */
  reached: LeadStage[];
  deadline: DeadlineEffect;
}

const isOpen = (stage: LeadStage): stage is OpenStage => (OPEN_STAGES as readonly string[]).includes(stage);
const rank = (stage: OpenStage) => OPEN_STAGES.indexOf(stage);

/** The open stages strictly between `from` and `to` plus `to`: skipping ahead still reaches the ones passed. */
function stagesUpTo(from: OpenStage, to: LeadStage): LeadStage[] {
  const last = isOpen(to) ? rank(to) : OPEN_STAGES.length - 1;
  const passed: LeadStage[] = OPEN_STAGES.slice(rank(from) + 1, last + 1);
  return isOpen(to) ? passed : [...passed, to];
}

interface MoveRule {
  /** Statuses a move may start from; anything else is refused with `refusal`. */
  from: readonly LeadStatus[];
  /** Stages a move may start from. */
  stages: readonly LeadStage[];
  refusal: 'lead.not_claimable' | 'lead.not_owned' | 'lead.closed' | 'lead.not_closed' | 'duplicate.already_resolved';
  apply(state: LeadState, move: LeadMove): Omit<Transition, 'from'>;
}

const ALL_OPEN = OPEN_STAGES;

/**
 * The transition table. A move is refused unless the lead's status and stage are among its rule's
 * starting points; the repository then writes the move only if the lead is still exactly in the
 * state it was planned from, so two moves racing on one lead cannot both land.
 */
const MOVES: Record<LeadMove['kind'], MoveRule> = {
  claim: {
    from: ['pooled'],
    stages: ALL_OPEN,
    refusal: 'lead.not_claimable',
    apply: (s, m) => ({ to: { ...s, status: 'owned', ownerId: ownerOf(m) }, reached: [], deadline: 'restart' }),
  },
  assign: {
    from: ['pooled', 'owned'],
    stages: ALL_OPEN,
    refusal: 'lead.closed',
    apply: (s, m) => ({ to: { ...s, status: 'owned', ownerId: ownerOf(m) }, reached: [], deadline: 'restart' }),
  },
  release: {
    from: ['owned'],
    stages: ALL_OPEN,
    refusal: 'lead.not_owned',
    apply: (s) => ({ to: { ...s, status: 'pooled', ownerId: null }, reached: [], deadline: 'end' }),
  },
  reclaim: {
    from: ['owned'],
    stages: ALL_OPEN,
    refusal: 'lead.not_owned',
    apply: (s) => ({ to: { ...s, status: 'pooled', ownerId: null }, reached: [], deadline: 'end' }),
  },
  follow_up: {
    from: ['owned'],
    stages: ALL_OPEN,
    refusal: 'lead.not_owned',
    apply: (s) =>
      s.stage === 'new'
        ? { to: { ...s, stage: 'contacted' }, reached: ['contacted'], deadline: 'restart' }
        : { to: s, reached: [], deadline: 'restart' },
  },
  stage: {
    from: ['owned'],
    stages: ALL_OPEN,
    refusal: 'lead.not_owned',
    apply: (s, m) => {
      const { to, reason } = m as Extract<LeadMove, { kind: 'stage' }>;
      const from = s.stage as OpenStage;
      const lead = formatLeadRef(s.id);
      if (to === from) throw new DomainError('stage.unchanged', { lead, stage: to });
      if (rank(to) < rank(from) && !reason?.trim())
        throw new DomainError('stage.back_needs_reason', { lead, stage: to });
      return { to: { ...s, stage: to }, reached: rank(to) > rank(from) ? stagesUpTo(from, to) : [], deadline: 'keep' };
    },
  },
  convert: {
    from: ['owned'],
    stages: ALL_OPEN,
    refusal: 'lead.not_owned',
    apply: (s) => ({
      to: { ...s, status: 'closed', stage: 'converted' },
      reached: stagesUpTo(s.stage as OpenStage, 'converted'),
      deadline: 'end',
    }),
  },
  close: {
    from: ['pooled', 'owned'],
    stages: ALL_OPEN,
    refusal: 'lead.closed',
    apply: (s, m) => {
      const as = (m as Extract<LeadMove, { kind: 'close' }>).as;
      if (as === 'lost' && s.status === 'pooled')
        throw new DomainError('lead.not_owned', { lead: formatLeadRef(s.id) });
      return { to: { ...s, status: 'closed', stage: as }, reached: [as], deadline: 'end' };
    },
  },
  reopen: {
    from: ['closed'],
    stages: ['lost', 'invalid'],
    refusal: 'lead.not_closed',
    apply: (s) => ({ to: { ...s, status: 'pooled', stage: 'new', ownerId: null }, reached: [], deadline: 'end' }),
  },
  settle_duplicate: {
    from: ['awaiting_owner'],
    stages: ALL_OPEN,
    refusal: 'duplicate.already_resolved',
    apply: (s, m) => ({
      to: { ...s, status: (m as Extract<LeadMove, { kind: 'settle_duplicate' }>).as },
      reached: [],
      deadline: 'end',
    }),
  },
};

function ownerOf(move: LeadMove): string {
  return (move as { ownerId: string }).ownerId;
}

/**
 * Plans a move from a lead's current state, or throws the reason it is not allowed. Pure: the
 * caller checks who may make it (the access policy) and writes it (`LeadTx.transition`).
 */
export function planMove(lead: LeadState, move: LeadMove): Transition {
  const state: LeadState = { id: lead.id, status: lead.status, stage: lead.stage, ownerId: lead.ownerId };
  const rule = MOVES[move.kind];
  if (!rule.from.includes(state.status) || !rule.stages.includes(state.stage)) {
    const params = { lead: formatLeadRef(state.id), stage: state.stage };
    if (state.status === 'closed' && rule.refusal !== 'lead.not_closed') throw new DomainError('lead.closed', params);
    const settling = rule.refusal === 'duplicate.already_resolved';
    if (!settling && (state.status === 'merged' || state.status === 'awaiting_owner')) {
      throw new DomainError('lead.merged', params);
    }
    throw new DomainError(rule.refusal, params);
  }
  return { from: state, ...rule.apply(state, move) };
}
