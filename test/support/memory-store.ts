import { randomUUID } from 'node:crypto';
import type { VisibleScope } from '../../src/domain/access/access-policy.js';
import type {
  ClaimCounters,
  ClaimPeek,
  ClaimReads,
  ClaimSnapshot,
  JudgedClaim,
} from '../../src/domain/claims/claim-store.js';
import type { Lead, Locale, Member, Role } from '../../src/domain/leads/lead.js';
import type { LeadCardData, LeadReadModel } from '../../src/domain/leads/lead-read-model.js';
import type { LeadChange, LeadSearch, LeadWithOwner } from '../../src/domain/leads/lead-store.js';
import { planMove } from '../../src/domain/leads/lifecycle.js';
import { ANY_TENANT, type Identity } from '../../src/domain/members/identity.js';
import type { Notification } from '../../src/domain/notifications/notification.js';
import type { LeadStore, StoreTx } from '../../src/domain/store.js';
import { testLead } from './fixtures.js';

interface IdentityRow {
  teamId: string;
  messenger: string;
  tenant: string;
  externalId: string;
  memberId: string;
}

interface State {
  leads: Map<number, Lead>;
  members: Member[];
  identities: IdentityRow[];
  events: {
    leadId: number;
    action: string;
    actorId: string | null;
    fromStage: string | null;
    toStage: string | null;
    reason: string;
    at: Date;
  }[];
  followUps: {
    leadId: number;
    memberId: string;
    method: string;
    note: string;
    at: Date;
    nextContactAt: Date | null;
    outcome: string | null;
    nextStep: string | null;
  }[];
  bans: { leadId: number; memberId: string; until: Date }[];
  outbox: { notification: Notification; sinks: readonly string[] | null; at: Date }[];
  handled: Set<string>;
  customers: { id: number; teamId: string; name: string; companyKey: string | null }[];
  digests: Set<string>;
  deals: { leadId: number; customerId: number }[];
  extensions: { id: number; leadId: number; memberId: string; reason: string; status: string }[];
  /** How far approved extensions moved each lead's current deadline (ms). */
  extended: Map<number, number>;
  /** Each member's claims so far (member.claim_version). */
  claimVersions: Map<string, number>;
}

/**
 * A hand-written in-memory LeadStore: the domain's use cases run against it in microseconds, so
 * rule-heavy tests need no database. Transactions run one at a time and roll back on a throw; the
 * conditional transition compares the lead's state as the SQL does. `writes` counts every write,
 * so a test can prove that something wrote nothing. The contract test runs the same scenarios on
 * it and on PostgreSQL, which keeps it honest.
 */
export class MemoryLeadStore implements LeadStore {
  private state: State = {
    leads: new Map(),
    members: [],
    identities: [],
    events: [],
    followUps: [],
    bans: [],
    outbox: [],
    handled: new Set(),
    customers: [],
    deals: [],
    digests: new Set(),
    extensions: [],
    extended: new Map(),
    claimVersions: new Map(),
  };
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  writes = 0;

  addMember(o: {
    teamId: string;
    name: string;
    role?: Role;
    slack?: string;
    /** The person key the playground knows them by (see `personKeyOf`). */
    web?: string;
    active?: boolean;
    locale?: Locale;
  }): Member {
    const member: Member = {
      id: randomUUID(),
      teamId: o.teamId,
      displayName: o.name,
      role: o.role ?? 'rep',
      locale: o.locale ?? 'en',
      active: o.active ?? true,
    };
    this.state.members.push(member);
    for (const [messenger, externalId] of [
      ['slack', o.slack],
      ['web', o.web],
    ] as const)
      if (externalId)
        this.state.identities.push({
          teamId: o.teamId,
          messenger,
          tenant: ANY_TENANT,
          externalId,
          memberId: member.id,
        });
    return member;
  }

  addLead(overrides: Partial<Lead> = {}): Lead {
    const lead = testLead({ id: this.nextId++, ...overrides });
    this.state.leads.set(lead.id, lead);
    return structuredClone(lead);
  }

  get extensions() {
    return this.state.extensions;
  }
  get events() {
    return this.state.events;
  }
  get outbox() {
    return this.state.outbox;
  }
  get followUps() {
    return this.state.followUps;
  }
  get deals() {
    return this.state.deals;
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const snapshot = structuredClone(this.state);
      const writesBefore = this.writes;
      try {
        return await work(this.tx());
      } catch (error) {
        this.state = snapshot;
        this.writes = writesBefore;
        throw error;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private membersOf(who: Identity): Member[] {
    const ids = this.state.identities
      .filter(
        (i) =>
          i.messenger === who.messenger &&
          i.externalId === who.externalId &&
          [who.tenant, ANY_TENANT].includes(i.tenant),
      )
      .map((i) => i.memberId);
    return this.state.members.filter((m) => ids.includes(m.id)).sort((a, b) => a.teamId.localeCompare(b.teamId));
  }

  private member(id: string | null): Member | null {
    return this.state.members.find((m) => m.id === id) ?? null;
  }

  private readonly poolShares = new Map<string, number>();

  private write(): void {
    this.writes++;
  }

  private tx(): StoreTx {
    const s = () => this.state;
    const inTeam = (teamId: string, who: Identity) => this.membersOf(who).find((m) => m.teamId === teamId) ?? null;
    return {
      lockMemberByIdentity: async (teamId, who) => {
        const member = inTeam(teamId, who);
        if (member) s().claimVersions.set(member.id, (s().claimVersions.get(member.id) ?? 0) + 1);
        return member;
      },
      findMemberByIdentity: async (teamId, who) => inTeam(teamId, who),
      membershipsOf: async (who) => this.membersOf(who),
      findLead: async (leadId) => structuredClone(s().leads.get(leadId) ?? null),
      findLeadByExternalId: async (teamId, externalId) =>
        structuredClone(
          [...s().leads.values()]
            .filter((l) => l.teamId === teamId && l.externalId === externalId)
            .sort((a, b) => Number(a.status === 'merged') - Number(b.status === 'merged') || a.id - b.id)[0] ?? null,
        ),
      rescore: async ({ lead, signals, scoring }) => {
        this.write();
        const stored = s().leads.get(lead.id);
        if (stored)
          Object.assign(stored, {
            signals,
            score: scoring.score,
            priority: scoring.priority,
            scoreDetail: scoring.detail,
          });
      },
      findMember: async (memberId) => this.member(memberId),
      currentOwner: async (leadId) => this.member(s().leads.get(leadId)?.ownerId ?? null),
      markRequestHandled: async (key) => {
        if (s().handled.has(key)) return false;
        this.write();
        s().handled.add(key);
        return true;
      },
      claimCounters: async (leadId, memberId, dayStart, now): Promise<ClaimCounters> => ({
        bannedUntil:
          s().bans.find((b) => b.leadId === leadId && b.memberId === memberId && b.until > now)?.until ?? null,
        claimedToday: s().events.filter((e) => e.actorId === memberId && e.action === 'claimed' && e.at >= dayStart)
          .length,
        held: [...s().leads.values()].filter((l) => l.ownerId === memberId && l.status === 'owned').length,
      }),
      transition: async (change) => this.transition(change),
      remindDue: async (now, limit) => {
        const due = [...s().leads.values()]
          .filter((l) => l.status === 'owned' && !l.reminderSentAt && l.remindAt && l.remindAt <= now)
          .filter((l) => l.followUpDueAt && l.followUpDueAt > now && l.ownerId)
          .slice(0, limit);
        if (due.length > 0) this.write();
        for (const lead of due) lead.reminderSentAt = now;
        return due.map((l) => ({ leadId: l.id, ownerId: l.ownerId as string, dueAt: l.followUpDueAt as Date }));
      },
      // The same move as the database's, through the one transition of this store.
      reclaimBreached: async (now, limit, cooldownMs, deadline = 'follow_up') => {
        if (deadline === 'conversion') return [];
        const breached = [...s().leads.values()]
          .filter((l) => l.status === 'owned' && l.ownerId && l.followUpDueAt && l.followUpDueAt <= now)
          .slice(0, limit);
        const moved = [];
        for (const lead of breached) {
          const ownerId = lead.ownerId as string;
          const change = { transition: planMove(lead, { kind: 'reclaim' }), action: 'reclaimed' as const };
          if (
            !this.transition({ ...change, leadId: lead.id, actorId: null, reason: 'follow_up_sla_breached', at: now })
          )
            continue;
          const until = new Date(now.getTime() + (cooldownMs[lead.teamId] ?? 0));
          s().bans = [
            ...s().bans.filter((b) => !(b.leadId === lead.id && b.memberId === ownerId)),
            { leadId: lead.id, memberId: ownerId, until },
          ];
          moved.push({ leadId: lead.id, teamId: lead.teamId, ownerId, until });
        }
        return moved;
      },
      pendingExtension: async (leadId) => {
        const found = s().extensions.findLast((e) => e.leadId === leadId && e.status === 'pending');
        return found ? { id: found.id, memberId: found.memberId, reason: found.reason } : null;
      },
      createExtensionRequest: async ({ leadId, memberId, reason }) => {
        this.write();
        const id = s().extensions.length + 1;
        s().extensions.push({ id, leadId, memberId, reason, status: 'pending' });
        return id;
      },
      decideExtension: async ({ id, status }) => {
        this.write();
        const found = s().extensions.find((e) => e.id === id);
        if (found) found.status = status;
      },
      extendDeadline: async ({ leadId, ownerId, window, byMs, maxMs, actorId, reason, at }) => {
        const lead = s().leads.get(leadId);
        const used = s().extended.get(leadId) ?? 0;
        if (lead?.status !== 'owned' || lead.ownerId !== ownerId || used + byMs > maxMs) return false;
        this.write();
        Object.assign(lead, { followUpDueAt: window.dueAt, remindAt: window.remindAt, reminderSentAt: null });
        s().extended.set(leadId, used + byMs);
        s().events.push({
          leadId,
          action: 'extended',
          actorId,
          fromStage: lead.stage,
          toStage: lead.stage,
          reason,
          at,
        });
        return true;
      },
      // This store keeps no conversion deadlines or grace after a deadline: they are tested on PostgreSQL.
      warnConversionDue: async () => [],
      escalateOverdue: async () => [],
      memberNames: async (ids) =>
        new Map(
          ids.flatMap((id) => {
            const m = this.member(id);
            return m ? [[id, m.displayName] as const] : [];
          }),
        ),
      recordFollowUp: async (input) => {
        this.write();
        s().followUps.push({ ...input });
      },
      claimDigest: async (run) => {
        const key = `${run.teamId}|${run.kind}|${run.periodKey}`;
        if (s().digests.has(key)) return 'taken' as const;
        const first = ![...s().digests].some((k) => k.startsWith(`${run.teamId}|${run.kind}|`));
        this.write();
        s().digests.add(key);
        return first ? ('first' as const) : ('claimed' as const);
      },
      managersOf: async (teamId) =>
        s().members.filter((m) => m.teamId === teamId && m.active && (m.role === 'manager' || m.role === 'admin')),
      teamMembers: async (teamId) => s().members.filter((m) => m.teamId === teamId),
      // Pools are tested on PostgreSQL; here a pool only counts what it gave.
      lockPool: async () => {},
      takenToday: async () => ({ team: 0, pool: 0 }),
      setLeadPool: async ({ lead, poolId }) => {
        this.write();
        const stored = s().leads.get(lead.id);
        if (stored) stored.poolId = poolId;
      },
      rankingRecords: async (_teamId, memberIds, since) =>
        new Map(
          memberIds.map((id) => [
            id,
            {
              conversions: [...s().leads.values()].filter(
                (l) =>
                  l.ownerId === id && l.stage === 'converted' && (l.convertedAt?.getTime() ?? 0) >= since.getTime(),
              ).length,
              followUps: s().followUps.filter((f) => f.memberId === id && f.at.getTime() >= since.getTime()).length,
            },
          ]),
        ),
      poolStats: async ({ memberIds }) =>
        new Map(
          memberIds.map((id) => [
            id,
            { assigned: this.poolShares.get(id) ?? 0, held: 0, takenToday: 0, bannedUntil: null },
          ]),
        ),
      recordPoolShare: async (_team, _pool, raised, chosen) => {
        for (const r of raised)
          this.poolShares.set(r.memberId, Math.max(this.poolShares.get(r.memberId) ?? 0, r.assigned));
        this.poolShares.set(chosen, (this.poolShares.get(chosen) ?? 0) + 1);
      },
      setPause: async (memberIds, pause) => {
        this.write();
        for (const m of s().members) if (memberIds.includes(m.id)) m.pause = pause;
      },
      enqueue: async (notification, at, sinks) => {
        this.write();
        s().outbox.push({ notification, at, sinks: sinks ?? null });
      },
      recordConversion: async ({ lead, at: _at }) => {
        this.write();
        let customer = lead.companyKey
          ? s().customers.find((c) => c.teamId === lead.teamId && c.companyKey === lead.companyKey)
          : undefined;
        if (!customer) {
          customer = {
            id: s().customers.length + 1,
            teamId: lead.teamId,
            name: lead.company ?? lead.name,
            companyKey: lead.companyKey,
          };
          s().customers.push(customer);
        }
        s().deals.push({ leadId: lead.id, customerId: customer.id });
        return { customerId: customer.id, customerName: customer.name };
      },
    };
  }

  private transition(change: LeadChange): boolean {
    const lead = this.state.leads.get(change.leadId);
    const { from, to, reached, deadline } = change.transition;
    if (!lead || lead.status !== from.status || lead.stage !== from.stage || lead.ownerId !== from.ownerId)
      return false;
    this.write();
    const at = change.at;
    if (to.ownerId === null) lead.ownedSince = null;
    else if (lead.ownerId !== to.ownerId) lead.ownedSince = at;
    if (to.ownerId !== null) lead.firstOwnedAt ??= at;
    Object.assign(lead, { status: to.status, stage: to.stage, ownerId: to.ownerId });
    if (deadline !== 'keep') {
      this.state.extended.delete(lead.id);
      lead.followUpDueAt = change.window?.dueAt ?? null;
      lead.remindAt = change.window?.remindAt ?? null;
      lead.reminderSentAt = null;
    }
    if (reached.includes('contacted')) lead.contactedAt ??= at;
    if (reached.includes('qualified')) lead.qualifiedAt ??= at;
    if (reached.includes('converted')) lead.convertedAt ??= at;
    const closed = to.status === 'closed';
    lead.closedAt = closed && to.stage !== 'converted' ? at : null;
    lead.closeReason = closed ? (change.closeReason ?? null) : null;
    if (change.duplicateOfId !== undefined) {
      lead.duplicateOfId = change.duplicateOfId;
      lead.duplicateDueAt = null;
    }
    this.state.events.push({
      leadId: lead.id,
      action: change.action,
      actorId: change.actorId,
      fromStage: from.stage,
      toStage: to.stage,
      reason: change.reason,
      at,
    });
    return true;
  }

  async findLead(leadId: number): Promise<Lead | null> {
    return structuredClone(this.state.leads.get(leadId) ?? null);
  }

  /** The read side the presenters use, over the same state. */
  readModel(): LeadReadModel {
    return {
      cardData: async (leadId) => {
        const lead = await this.findLead(leadId);
        return lead ? { lead, owner: this.member(lead.ownerId), returnedFrom: null, related: [] } : null;
      },
      lead: (leadId) => this.findLead(leadId),
      member: async (memberId) => this.member(memberId),
      history: async (leadId, limit) => ({
        followUps: this.state.followUps
          .filter((f) => f.leadId === leadId)
          .slice(-limit)
          .reverse()
          .map((f) => ({ ...f, by: this.member(f.memberId)?.displayName ?? '' })),
        events: this.state.events
          .filter((e) => e.leadId === leadId)
          .slice(-limit)
          .reverse()
          .map((e) => ({
            at: e.at,
            action: e.action,
            by: this.member(e.actorId)?.displayName ?? '',
            reason: e.reason,
          })),
      }),
      identityOf: async (memberId, messenger) => {
        const row = this.state.identities.find((i) => i.memberId === memberId && i.messenger === messenger);
        return row ? { messenger, tenant: row.tenant, externalId: row.externalId } : null;
      },
    };
  }

  async claimSnapshot(read: Parameters<ClaimReads['claimSnapshot']>[0]): Promise<ClaimSnapshot | null> {
    const lead = this.state.leads.get(read.leadId);
    if (!lead) return null;
    const member = this.membersOf(read.who).find((m) => m.teamId === lead.teamId) ?? null;
    const dayStart = read.dayStarts.get(lead.teamId) ?? read.now;
    return {
      lead: structuredClone(lead),
      member,
      owner: this.member(lead.ownerId),
      counters: member
        ? await this.tx().claimCounters(lead.id, member.id, dayStart, read.now)
        : { bannedUntil: null, claimedToday: 0, held: 0 },
      repeated: read.requestId ? this.state.handled.has(read.requestId) : false,
      version: { lead: JSON.stringify(lead), member: member ? (this.state.claimVersions.get(member.id) ?? 0) : 0 },
    };
  }

  /** As the SQL: the member's count moves, then the lead only if it, its count and the request are as read. */
  claimIfUnchanged(claim: JudgedClaim): Promise<LeadCardData | null> {
    return this.transaction(async (tx) => {
      const s = this.state;
      const seen = s.claimVersions.get(claim.memberId) ?? 0;
      if (seen !== claim.version.member) return null;
      s.claimVersions.set(claim.memberId, seen + 1);
      if (JSON.stringify(s.leads.get(claim.change.leadId)) !== claim.version.lead) return null;
      if (claim.requestId && !(await tx.markRequestHandled(claim.requestId, claim.change.at))) return null;
      if (!(await tx.transition(claim.change))) throw new Error('a lead as read did not move');
      for (const notice of claim.notifications) await tx.enqueue(notice, claim.change.at);
      return this.readModel().cardData(claim.change.leadId);
    });
  }

  async peekClaims(leadId: number, who: readonly Identity[]): Promise<(ClaimPeek | null)[]> {
    const lead = this.state.leads.get(leadId);
    return who.map((w) => {
      if (!lead) return null;
      const mine = this.membersOf(w);
      return {
        owner: this.member(lead.ownerId),
        actorIsActiveMember: mine.some((m) => m.teamId === lead.teamId && m.active),
        actorIsOwner: mine.some((m) => m.id === lead.ownerId),
      };
    });
  }

  async membershipsOf(who: Identity): Promise<Member[]> {
    return this.membersOf(who);
  }

  async searchLeads(scope: VisibleScope, search: LeadSearch, limit: number): Promise<LeadWithOwner[]> {
    const text = search.text.toLowerCase();
    const matches = (l: Lead) =>
      search.kind === 'email'
        ? (l.email ?? '').toLowerCase().includes(text)
        : search.kind === 'phone'
          ? (l.phone ?? '').includes(text)
          : l.name.toLowerCase().includes(text) || (l.company ?? '').toLowerCase().includes(text);
    const visible = (l: Lead) =>
      scope.all ||
      scope.teams.includes(l.teamId) ||
      (l.status === 'pooled' && scope.poolTeams.includes(l.teamId)) ||
      (l.ownerId !== null && scope.ownerIds.includes(l.ownerId));
    return [...this.state.leads.values()]
      .filter((l) => l.status !== 'merged' && visible(l) && matches(l))
      .sort((a, b) => b.id - a.id)
      .slice(0, limit)
      .map((l) => ({ lead: structuredClone(l), ownerName: this.member(l.ownerId)?.displayName ?? null }));
  }

  private owned(memberIds: string[]): Lead[] {
    return [...this.state.leads.values()]
      .filter((l) => l.status === 'owned' && l.ownerId !== null && memberIds.includes(l.ownerId))
      .sort((a, b) => (a.followUpDueAt?.getTime() ?? 0) - (b.followUpDueAt?.getTime() ?? 0) || a.id - b.id);
  }

  async ownedLeads(memberIds: string[], limit?: number): Promise<Lead[]> {
    return this.owned(memberIds)
      .slice(0, limit)
      .map((l) => structuredClone(l));
  }

  async deskSummary(memberIds: string[], now: Date, dayEnd: Date) {
    const due = this.owned(memberIds).map((l) => l.followUpDueAt?.getTime() ?? Number.POSITIVE_INFINITY);
    return {
      openCount: due.length,
      overdueCount: due.filter((d) => d <= now.getTime()).length,
      dueTodayCount: due.filter((d) => d > now.getTime() && d <= dayEnd.getTime()).length,
    };
  }

  async teamBacklog(teamId: string, now: Date, soonMs: number) {
    const leads = [...this.state.leads.values()].filter((l) => l.teamId === teamId);
    const due = leads
      .filter((l) => l.status === 'owned')
      .map((l) => l.followUpDueAt?.getTime() ?? Number.POSITIVE_INFINITY);
    const pooled = leads.filter((l) => l.status === 'pooled').map((l) => l.createdAt.getTime());
    return {
      overdue: due.filter((d) => d <= now.getTime()).length,
      dueSoon: due.filter((d) => d > now.getTime() && d <= now.getTime() + soonMs).length,
      pooled: pooled.length,
      oldestPooledAt: pooled.length > 0 ? new Date(Math.min(...pooled)) : null,
    };
  }

  async claimedSince(memberId: string, since: Date): Promise<number> {
    return this.state.events.filter((e) => e.actorId === memberId && e.action === 'claimed' && e.at >= since).length;
  }

  async activeCooldowns(memberIds: string[], now: Date) {
    return this.state.bans
      .filter((b) => memberIds.includes(b.memberId) && b.until > now)
      .sort((a, b) => a.until.getTime() - b.until.getTime())
      .map((b) => ({ leadId: b.leadId, until: b.until }));
  }

  async pooledLeads(teamId: string, limit: number) {
    return [...this.state.leads.values()]
      .filter((l) => l.teamId === teamId && l.status === 'pooled')
      .sort((a, b) => b.id - a.id)
      .slice(0, limit)
      .map((l) => structuredClone(l));
  }

  async recentLeads(teamId: string, limit: number) {
    return [...this.state.leads.values()]
      .filter((l) => l.teamId === teamId && l.status !== 'merged')
      .sort((a, b) => b.id - a.id)
      .slice(0, limit)
      .map((l) => ({ lead: structuredClone(l), ownerName: this.member(l.ownerId)?.displayName ?? null }));
  }

  async overdueLeads(teamIds: string[] | null, now: Date, limit: number) {
    return [...this.state.leads.values()]
      .filter((l) => l.status === 'owned' && (l.followUpDueAt?.getTime() ?? Number.POSITIVE_INFINITY) <= now.getTime())
      .filter((l) => teamIds === null || teamIds.includes(l.teamId))
      .sort((a, b) => (a.followUpDueAt?.getTime() ?? 0) - (b.followUpDueAt?.getTime() ?? 0) || a.id - b.id)
      .slice(0, limit)
      .map((l) => ({ lead: structuredClone(l), ownerName: this.member(l.ownerId)?.displayName ?? null }));
  }

  async leadIdsDueForReminder(now: Date, limit: number): Promise<number[]> {
    return [...this.state.leads.values()]
      .filter(
        (l) =>
          l.status === 'owned' &&
          !l.reminderSentAt &&
          l.remindAt &&
          l.remindAt <= now &&
          l.followUpDueAt &&
          l.followUpDueAt > now,
      )
      .slice(0, limit)
      .map((l) => l.id);
  }

  async leadIdsBreached(now: Date, limit: number): Promise<number[]> {
    return [...this.state.leads.values()]
      .filter((l) => l.status === 'owned' && l.followUpDueAt && l.followUpDueAt <= now)
      .slice(0, limit)
      .map((l) => l.id);
  }

  async leadIdsDuplicateUnanswered(now: Date, limit: number): Promise<number[]> {
    return [...this.state.leads.values()]
      .filter((l) => l.status === 'awaiting_owner' && l.duplicateDueAt && l.duplicateDueAt <= now)
      .slice(0, limit)
      .map((l) => l.id);
  }

  async leadIdsWaitingInPools(pools: readonly { teamId: string; poolId: string }[], limit: number): Promise<number[]> {
    return [...this.state.leads.values()]
      .filter((l) => l.status === 'pooled' && pools.some((p) => p.teamId === l.teamId && p.poolId === l.poolId))
      .slice(0, limit)
      .map((l) => l.id);
  }
}
