import { describe, expect, it } from 'vitest';
import type { LeadStage, LeadStatus } from '../../src/domain/leads/lead.js';
import { type LeadMove, type LeadState, planMove } from '../../src/domain/leads/lifecycle.js';
import { isDomainError } from '../../src/domain/shared/errors.js';

const REP = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';

const state = (status: LeadStatus, stage: LeadStage, ownerId: string | null = null): LeadState => ({
  id: 42,
  status,
  stage,
  ownerId,
});
const owned = (stage: LeadStage) => state('owned', stage, REP);

function refusal(from: LeadState, move: LeadMove): string {
  try {
    planMove(from, move);
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  throw new Error(`expected ${move.kind} from ${from.status}/${from.stage} to be refused`);
}

describe('the stage machine: allowed moves', () => {
  it.each<[string, LeadState, LeadMove, Partial<LeadState>, LeadStage[], string]>([
    [
      'claim',
      state('pooled', 'new'),
      { kind: 'claim', ownerId: REP },
      { status: 'owned', ownerId: REP },
      [],
      'restart',
    ],
    [
      'claim keeps the stage',
      state('pooled', 'contacted'),
      { kind: 'claim', ownerId: REP },
      { stage: 'contacted' },
      [],
      'restart',
    ],
    [
      'assign from pool',
      state('pooled', 'new'),
      { kind: 'assign', ownerId: REP },
      { status: 'owned', ownerId: REP },
      [],
      'restart',
    ],
    [
      'reassign',
      owned('qualified'),
      { kind: 'assign', ownerId: OTHER },
      { ownerId: OTHER, stage: 'qualified' },
      [],
      'restart',
    ],
    [
      'release',
      owned('contacted'),
      { kind: 'release' },
      { status: 'pooled', ownerId: null, stage: 'contacted' },
      [],
      'end',
    ],
    ['reclaim', owned('new'), { kind: 'reclaim' }, { status: 'pooled', ownerId: null }, [], 'end'],
    ['first follow-up', owned('new'), { kind: 'follow_up' }, { stage: 'contacted' }, ['contacted'], 'restart'],
    ['later follow-up', owned('qualified'), { kind: 'follow_up' }, { stage: 'qualified' }, [], 'restart'],
    ['qualify', owned('contacted'), { kind: 'stage', to: 'qualified' }, { stage: 'qualified' }, ['qualified'], 'keep'],
    [
      'skip ahead',
      owned('new'),
      { kind: 'stage', to: 'qualified' },
      { stage: 'qualified' },
      ['contacted', 'qualified'],
      'keep',
    ],
    [
      'back with reason',
      owned('qualified'),
      { kind: 'stage', to: 'contacted', reason: 'budget moved' },
      { stage: 'contacted' },
      [],
      'keep',
    ],
    [
      'convert',
      owned('qualified'),
      { kind: 'convert' },
      { status: 'closed', stage: 'converted', ownerId: REP },
      ['converted'],
      'end',
    ],
    [
      'convert new',
      owned('new'),
      { kind: 'convert' },
      { stage: 'converted' },
      ['contacted', 'qualified', 'converted'],
      'end',
    ],
    [
      'lost',
      owned('contacted'),
      { kind: 'close', as: 'lost' },
      { status: 'closed', stage: 'lost', ownerId: REP },
      ['lost'],
      'end',
    ],
    [
      'invalid from pool',
      state('pooled', 'new'),
      { kind: 'close', as: 'invalid' },
      { status: 'closed', stage: 'invalid' },
      ['invalid'],
      'end',
    ],
    [
      'reopen lost',
      state('closed', 'lost', REP),
      { kind: 'reopen' },
      { status: 'pooled', stage: 'new', ownerId: null },
      [],
      'end',
    ],
    ['reopen invalid', state('closed', 'invalid'), { kind: 'reopen' }, { status: 'pooled', stage: 'new' }, [], 'end'],
    [
      'duplicate to pool',
      state('awaiting_owner', 'new'),
      { kind: 'settle_duplicate', as: 'pooled' },
      { status: 'pooled' },
      [],
      'end',
    ],
    [
      'duplicate merged',
      state('awaiting_owner', 'new'),
      { kind: 'settle_duplicate', as: 'merged' },
      { status: 'merged' },
      [],
      'end',
    ],
  ])('%s', (_name, from, move, expected, reached, deadline) => {
    const transition = planMove(from, move);
    expect(transition.from).toEqual(from);
    expect(transition.to).toMatchObject(expected);
    expect(transition.to.id).toBe(42);
    expect(transition.reached).toEqual(reached);
    expect(transition.deadline).toBe(deadline);
  });
});

describe('the stage machine: refused moves', () => {
  it.each<[string, LeadState, LeadMove, string]>([
    ['claim an owned lead', owned('new'), { kind: 'claim', ownerId: OTHER }, 'lead.not_claimable'],
    ['claim a merged lead', state('merged', 'new'), { kind: 'claim', ownerId: REP }, 'lead.merged'],
    ['claim an awaiting lead', state('awaiting_owner', 'new'), { kind: 'claim', ownerId: REP }, 'lead.merged'],
    ['claim a closed lead', state('closed', 'lost', REP), { kind: 'claim', ownerId: REP }, 'lead.closed'],
    ['convert a pooled lead', state('pooled', 'qualified'), { kind: 'convert' }, 'lead.not_owned'],
    ['convert twice', state('closed', 'converted', REP), { kind: 'convert' }, 'lead.closed'],
    ['convert a merged lead', state('merged', 'new'), { kind: 'convert' }, 'lead.merged'],
    ['lose a pooled lead', state('pooled', 'new'), { kind: 'close', as: 'lost' }, 'lead.not_owned'],
    ['close a closed lead', state('closed', 'lost', REP), { kind: 'close', as: 'invalid' }, 'lead.closed'],
    ['stage on a pooled lead', state('pooled', 'new'), { kind: 'stage', to: 'contacted' }, 'lead.not_owned'],
    ['stage to the same stage', owned('contacted'), { kind: 'stage', to: 'contacted' }, 'stage.unchanged'],
    ['back without a reason', owned('qualified'), { kind: 'stage', to: 'new' }, 'stage.back_needs_reason'],
    [
      'back with a blank reason',
      owned('contacted'),
      { kind: 'stage', to: 'new', reason: '  ' },
      'stage.back_needs_reason',
    ],
    [
      'stage a converted lead',
      state('closed', 'converted', REP),
      { kind: 'stage', to: 'qualified', reason: 'x' },
      'lead.closed',
    ],
    ['release a pooled lead', state('pooled', 'new'), { kind: 'release' }, 'lead.not_owned'],
    ['release a closed lead', state('closed', 'converted', REP), { kind: 'release' }, 'lead.closed'],
    ['reclaim a pooled lead', state('pooled', 'new'), { kind: 'reclaim' }, 'lead.not_owned'],
    ['reclaim a converted lead', state('closed', 'converted', REP), { kind: 'reclaim' }, 'lead.closed'],
    ['follow up a pooled lead', state('pooled', 'new'), { kind: 'follow_up' }, 'lead.not_owned'],
    ['follow up a lost lead', state('closed', 'lost', REP), { kind: 'follow_up' }, 'lead.closed'],
    ['assign a closed lead', state('closed', 'lost', REP), { kind: 'assign', ownerId: OTHER }, 'lead.closed'],
    ['assign a merged lead', state('merged', 'new'), { kind: 'assign', ownerId: OTHER }, 'lead.merged'],
    ['reopen a converted lead', state('closed', 'converted', REP), { kind: 'reopen' }, 'lead.not_closed'],
    ['reopen an open lead', owned('contacted'), { kind: 'reopen' }, 'lead.not_closed'],
    ['settle twice', state('merged', 'new'), { kind: 'settle_duplicate', as: 'pooled' }, 'duplicate.already_resolved'],
  ])('%s', (_name, from, move, code) => {
    expect(refusal(from, move)).toBe(code);
  });

  it('every refusal names the lead', () => {
    expect.assertions(1);
    try {
      planMove(state('pooled', 'new'), { kind: 'convert' });
    } catch (error) {
      expect(isDomainError(error) && error.params.lead).toBe('L-42');
    }
  });
});
