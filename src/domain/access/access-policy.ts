import { formatLeadRef, type LeadStatus, type Member } from '../leads/lead.js';
import { DomainError, type ErrorCode } from '../shared/errors.js';

/** Everything a person can do to a lead. Each use case asks for exactly one of these. */
export const LEAD_ACTIONS = [
  'view',
  'see_contact',
  'claim',
  'log',
  'stage',
  'convert',
  'close',
  'release',
  'assign',
  'reopen',
] as const;
export type LeadAction = (typeof LEAD_ACTIONS)[number];

/** Who is acting: their memberships, one per team (inactive ones are people who left a team). */
export interface Actor {
  memberships: readonly Member[];
}

/** What the policy needs to know about a lead. */
export interface LeadAccessFacts {
  id: number;
  teamId: string;
  status: LeadStatus;
  ownerId: string | null;
}

/** A refusal, with the reason a person can read. */
export interface Refusal {
  code: ErrorCode;
  params: Record<string, string>;
}

export type AccessDecision = { allowed: true; as: Member } | { allowed: false; refusal: Refusal };

/** Actions a rep may take on a lead they own. */
const OWNER_ACTIONS: ReadonlySet<LeadAction> = new Set([
  'view',
  'see_contact',
  'log',
  'stage',
  'convert',
  'close',
  'release',
]);
/** Actions only a team's managers (and admins) may take. */
const MANAGER_ACTIONS: ReadonlySet<LeadAction> = new Set(['assign', 'reopen']);

const isManagerRole = (m: Member) => m.role === 'manager' || m.role === 'admin';

/** An admin (role `admin` in any team they are still in) may act on every team's leads. */
export function isAdmin(actor: Actor): boolean {
  return actor.memberships.some((m) => m.active && m.role === 'admin');
}

/**
 * The one access rule of the product. A rep sees the pool of their team and their own leads and
 * works only on their own; a manager sees and works on all of their team's leads and may also
 * assign and reopen; an admin may do everything everywhere. Claiming is for members of the lead's
 * team only, whatever their role: a claim makes the claimer the owner.
 */
export function decideAccess(actor: Actor, action: LeadAction, lead: LeadAccessFacts): AccessDecision {
  const ref = formatLeadRef(lead.id);
  const member = actor.memberships.find((m) => m.teamId === lead.teamId && m.active);
  const admin = actor.memberships.find((m) => m.active && m.role === 'admin');
  const refuse = (code: ErrorCode, params: Record<string, string> = {}): AccessDecision => ({
    allowed: false,
    refusal: { code, params: { lead: ref, ...params } },
  });

  if (action === 'claim')
    return member ? { allowed: true, as: member } : refuse('member.not_in_team', { team: lead.teamId });
  if (admin) return { allowed: true, as: member ?? admin };
  if (!member) return refuse('lead.not_visible');
  if (isManagerRole(member)) return { allowed: true, as: member };
  if (lead.ownerId === member.id && OWNER_ACTIONS.has(action)) return { allowed: true, as: member };
  if (action === 'view' && lead.status === 'pooled') return { allowed: true, as: member };
  if (action === 'view' || action === 'see_contact') return refuse('lead.not_visible');
  if (MANAGER_ACTIONS.has(action)) return refuse('access.managers_only');
  return refuse(lead.status === 'pooled' ? 'lead.not_owned' : 'access.not_owner');
}

/** The acting member for `action` on `lead`, or the refusal as a DomainError. */
export function authorize(actor: Actor, action: LeadAction, lead: LeadAccessFacts): Member {
  const decision = decideAccess(actor, action, lead);
  if (decision.allowed) return decision.as;
  throw new DomainError(decision.refusal.code, decision.refusal.params);
}

/**
 * The leads an actor may see, as a filter a query can apply: everything (admin), every lead of
 * `teams` (managed), the pool of `poolTeams` and the leads owned by `ownerIds`. Agrees with
 * `decideAccess(…, 'view', …)` for every lead (checked by the access-policy tests).
 */
export interface VisibleScope {
  all: boolean;
  teams: string[];
  poolTeams: string[];
  ownerIds: string[];
}

export function visibleScope(actor: Actor): VisibleScope {
  const active = actor.memberships.filter((m) => m.active);
  return {
    all: isAdmin(actor),
    teams: active.filter(isManagerRole).map((m) => m.teamId),
    poolTeams: active.map((m) => m.teamId),
    ownerIds: active.map((m) => m.id),
  };
}
