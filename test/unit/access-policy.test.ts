import { describe, expect, it } from 'vitest';
import {
  type AccessDecision,
  type Actor,
  decideAccess,
  LEAD_ACTIONS,
  type LeadAction,
} from '../../src/domain/access/access-policy.js';
import type { LeadStatus, Member, Role } from '../../src/domain/leads/lead.js';

const member = (id: string, teamId: string, role: Role, active = true): Member => ({
  id,
  teamId,
  displayName: id,
  role,
  locale: 'en',
  active,
});

const ME = 'me';
const MATE = 'mate';
const actorAs = (role: Role): Actor => ({ memberships: [member(ME, 'alpha', role)] });

type Relation = 'own' | 'teammate' | 'pooled' | 'other_team';
const LEADS: Record<Relation, { teamId: string; status: LeadStatus; ownerId: string | null }> = {
  own: { teamId: 'alpha', status: 'owned', ownerId: ME },
  teammate: { teamId: 'alpha', status: 'owned', ownerId: MATE },
  pooled: { teamId: 'alpha', status: 'pooled', ownerId: null },
  other_team: { teamId: 'beta', status: 'owned', ownerId: 'stranger' },
};

const A = 'allowed';
// Every cell of role × lead × action, written out: a change to the policy must change this table.
const MATRIX: Record<Role, Record<Relation, Record<LeadAction, string>>> = {
  rep: {
    own: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: 'access.managers_only',
      reopen: 'access.managers_only',
    },
    teammate: {
      view: 'lead.not_visible',
      see_contact: 'lead.not_visible',
      claim: A,
      log: 'access.not_owner',
      stage: 'access.not_owner',
      convert: 'access.not_owner',
      close: 'access.not_owner',
      release: 'access.not_owner',
      assign: 'access.managers_only',
      reopen: 'access.managers_only',
    },
    pooled: {
      view: A,
      see_contact: 'lead.not_visible',
      claim: A,
      log: 'lead.not_owned',
      stage: 'lead.not_owned',
      convert: 'lead.not_owned',
      close: 'lead.not_owned',
      release: 'lead.not_owned',
      assign: 'access.managers_only',
      reopen: 'access.managers_only',
    },
    other_team: {
      view: 'lead.not_visible',
      see_contact: 'lead.not_visible',
      claim: 'member.not_in_team',
      log: 'lead.not_visible',
      stage: 'lead.not_visible',
      convert: 'lead.not_visible',
      close: 'lead.not_visible',
      release: 'lead.not_visible',
      assign: 'lead.not_visible',
      reopen: 'lead.not_visible',
    },
  },
  manager: {
    own: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    teammate: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    pooled: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    other_team: {
      view: 'lead.not_visible',
      see_contact: 'lead.not_visible',
      claim: 'member.not_in_team',
      log: 'lead.not_visible',
      stage: 'lead.not_visible',
      convert: 'lead.not_visible',
      close: 'lead.not_visible',
      release: 'lead.not_visible',
      assign: 'lead.not_visible',
      reopen: 'lead.not_visible',
    },
  },
  admin: {
    own: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    teammate: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    pooled: {
      view: A,
      see_contact: A,
      claim: A,
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
    other_team: {
      view: A,
      see_contact: A,
      claim: 'member.not_in_team',
      log: A,
      stage: A,
      convert: A,
      close: A,
      release: A,
      assign: A,
      reopen: A,
    },
  },
};

const outcome = (d: AccessDecision) => (d.allowed ? A : d.refusal.code);

describe('the access policy: role × lead × action', () => {
  const cells = (Object.keys(MATRIX) as Role[]).flatMap((role) =>
    (Object.keys(LEADS) as Relation[]).flatMap((relation) =>
      LEAD_ACTIONS.map((action) => [role, relation, action, MATRIX[role][relation][action]] as const),
    ),
  );

  it('covers every cell', () => expect(cells).toHaveLength(3 * 4 * LEAD_ACTIONS.length));

  it.each(cells)('%s on %s lead: %s → %s', (role, relation, action, expected) => {
    const decision = decideAccess(actorAs(role), action, { id: 7, ...LEADS[relation] });
    expect(outcome(decision)).toBe(expected);
    if (!decision.allowed) expect(decision.refusal.params.lead).toBe('L-7');
  });

  it('acts as the membership in the lead’s team, so the audit names the right member', () => {
    const admin: Actor = { memberships: [member('a-home', 'alpha', 'admin'), member('a-beta', 'beta', 'rep')] };
    const onBeta = decideAccess(admin, 'assign', { id: 1, ...LEADS.other_team });
    expect(onBeta.allowed && onBeta.as.id).toBe('a-beta');
    const onGamma = decideAccess(admin, 'view', { id: 1, teamId: 'gamma', status: 'owned', ownerId: 'x' });
    expect(onGamma.allowed && onGamma.as.id).toBe('a-home');
  });

  it('a membership the person left gives no access, not even as admin', () => {
    const former: Actor = { memberships: [member(ME, 'alpha', 'admin', false)] };
    expect(outcome(decideAccess(former, 'view', { id: 1, ...LEADS.pooled }))).toBe('lead.not_visible');
    expect(outcome(decideAccess(former, 'claim', { id: 1, ...LEADS.pooled }))).toBe('member.not_in_team');
  });
});
