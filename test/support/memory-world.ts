import { personKeyOf, type TeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import type { Lead } from '../../src/domain/leads/lead.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { MemoryLeadStore } from './memory-store.js';

/**
 * A team file's people in the in-memory store: a use case's rules are tested in microseconds,
 * without a database. (store-contract.test.ts keeps the store honest against PostgreSQL; what
 * depends on SQL, locks or concurrency stays on PostgreSQL.)
 */
export function memoryWorld(config: TeamsConfig, clock: Clock) {
  const store = new MemoryLeadStore();
  for (const m of config.members)
    store.addMember({
      teamId: m.teamId,
      name: m.displayName,
      role: m.role,
      active: m.active,
      locale: m.locale,
      web: personKeyOf(m),
      ...(m.ids.slack ? { slack: m.ids.slack } : {}),
    });
  const teams = teamDirectory(config.teams);
  return {
    store,
    teams,
    deps: () => ({ store, teams, clock }),
    /** A new pooled lead of `team`, created now. */
    lead: (team: string, overrides: Partial<Lead> = {}) =>
      store.addLead({ teamId: team, createdAt: clock.now(), ...overrides }).id,
    /** The DMs queued about one lead, oldest first: their topics and params. */
    dms: (leadId: number) =>
      store.outbox.flatMap(({ notification: n }) =>
        n.kind === 'member.dm' && n.leadId === leadId
          ? [{ topic: n.topic, params: n.params, memberId: n.memberId }]
          : [],
      ),
    /** The lead as stored now. */
    row: async (leadId: number) => {
      const lead = await store.findLead(leadId);
      if (!lead) throw new Error(`no lead ${leadId}`);
      return lead;
    },
  };
}
