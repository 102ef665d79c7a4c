import { authorize } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import { formatLeadRef, type Lead } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import type { WorkLeadTarget } from '../leads/work-lead.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { handleOnce } from '../shared/handle-once.js';
import type { PoolTx } from './pool-store.js';
import { isSystemAssigned, type Pool } from './pools.js';

export interface MoveToPoolDeps {
  store: TxStore<LeadTx & PoolTx>;
  teams: TeamDirectory;
  clock: Clock;
  /** Gives the lead an owner at once when it lands in a system-assigned pool (else the sweep does). */
  assignFromPools?: (leadIds: readonly number[]) => Promise<void>;
}

/**
 * A manager moves a lead to another pool of its team (by id or name); its card and its audit say
 * so. A pooled lead moved into a system-assigned pool is given out by that pool.
 */
export async function moveToPool(
  deps: MoveToPoolDeps,
  target: WorkLeadTarget,
  poolName: string,
): Promise<{ lead: Lead; pool: Pool }> {
  const now = deps.clock.now();
  const moved = await deps.store.transaction(async (tx) => {
    await handleOnce(tx, target.requestId, now);
    const lead = await tx.findLead(target.leadId, { forUpdate: true });
    if (!lead) throw new DomainError('lead.not_found', { lead: target.leadId });
    const team = requireTeam(deps.teams, lead.teamId);
    const member = authorize(await actorOf(tx, target.actor), 'assign', lead);
    const pool = findPool(team.pools ?? [], poolName);
    if (pool.id === lead.poolId)
      throw new DomainError('pool.already', { lead: formatLeadRef(lead.id), pool: pool.name });
    await tx.setLeadPool({ lead, poolId: pool.id, actorId: member.id, at: now });
    await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    return { lead: { ...lead, poolId: pool.id }, pool };
  });
  if (moved.lead.status === 'pooled' && isSystemAssigned(moved.pool)) await deps.assignFromPools?.([moved.lead.id]);
  return moved;
}

function findPool(pools: readonly Pool[], name: string): Pool {
  const wanted = name.trim().toLowerCase();
  const pool = pools.find((p) => p.id === wanted || p.name.toLowerCase() === wanted);
  if (pool) return pool;
  throw new DomainError('pool.unknown', {
    pool: name.slice(0, 40),
    pools: pools.map((p) => p.name).join(', ') || '—',
  });
}
