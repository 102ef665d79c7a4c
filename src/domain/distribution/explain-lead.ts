import { authorize } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { ClaimTx } from '../claims/claim-store.js';
import { claimVerdict, takenToday } from '../claims/claim-verdict.js';
import type { Lead, Member, TeamPolicy } from '../leads/lead.js';
import type { HistoryEntry, LeadReadModel } from '../leads/lead-read-model.js';
import type { LeadReads, LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { startOfLocalDay } from '../shared/time-zone.js';
import type { PoolTx } from './pool-store.js';
import type { Pool } from './pools.js';

export interface ExplainDeps {
  store: TxStore<LeadTx & ClaimTx & PoolTx> & LeadReads;
  leads: LeadReadModel;
  teams: TeamDirectory;
  clock: Clock;
}

/** Why a lead is where it is: its pool, how its owner got it, and whether the asker may claim it. */
export interface LeadExplanation {
  lead: Lead;
  team: TeamPolicy;
  /** Null for a team without pools. */
  pool: Pool | null;
  /** Managers and admins also see the pool's rule and mode. */
  showRule: boolean;
  ownerName: string | null;
  /** The latest change of hands (claimed, assigned, reclaimed, released), if any. */
  lastMove: HistoryEntry | null;
  /** For a pooled lead: null if the asker may claim it, else why not. */
  claim: { allowed: true } | { allowed: false; refusal: DomainError } | null;
}

const MOVES = new Set(['claimed', 'assigned', 'reclaimed', 'released', 'returned']);

export async function explainLead(
  deps: ExplainDeps,
  input: { leadId: number; actor: Identity },
): Promise<LeadExplanation> {
  const now = deps.clock.now();
  const data = await deps.leads.cardData(input.leadId);
  if (!data) throw new DomainError('lead.not_found', { lead: input.leadId });
  const { lead } = data;
  const actor = await actorOf(deps.store, input.actor);
  const viewer = authorize(actor, 'view', lead);
  const team = requireTeam(deps.teams, lead.teamId);
  const { events } = await deps.leads.history(lead.id, 50);
  const membership = actor.memberships.find((m) => m.teamId === lead.teamId && m.active) ?? null;
  return {
    lead,
    team,
    pool: team.pools?.find((p) => p.id === lead.poolId) ?? null,
    showRule: viewer.role === 'manager' || viewer.role === 'admin',
    ownerName: data.owner?.displayName ?? null,
    lastMove: events.find((e) => MOVES.has(e.action)) ?? null,
    claim: lead.status === 'pooled' ? await claimStatus(deps, lead, team, membership, now) : null,
  };
}

/** The answer a click would get now, from the same facts and the same judge as the click. */
async function claimStatus(
  deps: ExplainDeps,
  lead: Lead,
  team: TeamPolicy,
  member: Member | null,
  now: Date,
): Promise<LeadExplanation['claim']> {
  if (!member) return { allowed: false, refusal: new DomainError('member.not_in_team', { team: team.name }) };
  const refusal = await deps.store.transaction(async (tx) => {
    const counters = await tx.claimCounters(lead.id, member.id, startOfLocalDay(now, team.timeZone), now);
    const taken = await takenToday(tx, team, lead, now, false);
    return claimVerdict({ lead, team, member, owner: null, counters, taken, now });
  });
  return refusal ? { allowed: false, refusal } : { allowed: true };
}
