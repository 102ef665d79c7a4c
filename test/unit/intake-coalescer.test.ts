import { describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import type { IntakeStore, IntakeTx, NewLeadRow } from '../../src/domain/intake/intake-store.js';
import { prepareLead } from '../../src/domain/intake/prepare-lead.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { IntakeCoalescer } from '../../src/infra/process/intake-coalescer.js';
import { testTeam } from '../support/fixtures.js';

/** An in-memory intake store that counts transactions and can fail the next one. */
class MemoryIntakeStore implements IntakeStore {
  transactions = 0;
  failNext = false;
  /** Any transaction holding a lead of this name fails, as PostgreSQL fails a statement with a NUL. */
  poison: string | null = null;
  rows: NewLeadRow[] = [];
  private nextId = 1;

  async intakeTransaction<T>(work: (tx: IntakeTx) => Promise<T>): Promise<T> {
    this.transactions++;
    const fail = this.failNext;
    this.failNext = false;
    const staged: NewLeadRow[] = [];
    const tx: IntakeTx = {
      lockKeys: async () => {},
      findMatches: async () => [],
      findCandidates: async () => [],
      nextLeadIds: async (n) => Array.from({ length: n }, () => this.nextId++),
      insertLeads: async (rows) => {
        if (fail) throw new Error('disk full');
        if (rows.some((r) => r.name === this.poison)) throw new Error('invalid byte sequence');
        staged.push(...rows);
      },
      recordEvents: async () => {},
      enqueue: async () => {},
      deferBurst: async () => {},
      countCards: async () => ({ burstId: 1, before: 0, sealed: false }),
      teamMembers: async () => [],
      recordAlerts: async () => {},
      claimIdempotencyKey: async () => ({ kind: 'new' }),
      saveIdempotentResponse: async () => {},
    };
    await new Promise((r) => setTimeout(r, 5)); // a write takes time, so arrivals queue behind it
    const result = await work(tx);
    this.rows.push(...staged);
    return result;
  }
}

const team = testTeam();
const lead = (name: string) => {
  const prepared = prepareLead({ team: 'alpha', name }, team, sourceCatalog());
  if (!prepared.ok) throw new Error('bad test lead');
  return prepared.lead;
};

describe('IntakeCoalescer', () => {
  const deps = (store: MemoryIntakeStore) => ({
    store,
    teams: teamDirectory([team]),
    clock: new ManualClock('2026-03-02T00:00:00Z'),
  });

  it('with one writer: a lone lead at once, and leads arriving together in one shared transaction, in order', async () => {
    const store = new MemoryIntakeStore();
    const coalescer = new IntakeCoalescer(deps(store), 'api', { maxWriters: 1 });
    const first = await coalescer.submit(lead('Solo'));
    expect(first.kind).toBe('created');
    expect(store.transactions).toBe(1);
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => coalescer.submit(lead(`Crowd ${i}`))));
    // The first of the crowd starts a write; the other nine queue and share the next one.
    expect(store.transactions).toBe(3);
    expect(store.rows.map((r) => r.name)).toEqual(['Solo', ...Array.from({ length: 10 }, (_, i) => `Crowd ${i}`)]);
    const ids = outcomes.map((o) => (o.kind === 'created' ? o.leadId : -1));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('with four writers: the first four start at once, the rest share the first free writer', async () => {
    const store = new MemoryIntakeStore();
    const coalescer = new IntakeCoalescer(deps(store), 'api', { maxWriters: 4 });
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => coalescer.submit(lead(`Crowd ${i}`))));
    expect(store.transactions).toBe(5);
    expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
    expect(new Set(store.rows.map((r) => r.name)).size).toBe(10);
  });

  it('fails only the requests of a failed batch; the next batch goes through', async () => {
    const store = new MemoryIntakeStore();
    const coalescer = new IntakeCoalescer(deps(store), 'api', { maxWriters: 1 });
    store.failNext = true;
    const doomed = coalescer.submit(lead('Doomed'));
    const later = coalescer.submit(lead('Later'));
    await expect(doomed).rejects.toThrow('disk full');
    expect((await later).kind).toBe('created');
    expect(store.rows.map((r) => r.name)).toEqual(['Later']);
  });

  it('a lead that fails a shared transaction fails alone: its neighbours are written and answered', async () => {
    const store = new MemoryIntakeStore();
    store.poison = 'Poison';
    const coalescer = new IntakeCoalescer(deps(store), 'api', { maxWriters: 1 });
    const first = coalescer.submit(lead('First'));
    const crowd = ['A', 'B', 'Poison', 'C', 'D'].map((name) => coalescer.submit(lead(name)));
    const settled = await Promise.allSettled([first, ...crowd]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((settled[3] as PromiseRejectedResult).reason.message).toBe('invalid byte sequence');
    expect(store.rows.map((r) => r.name)).toEqual(['First', 'A', 'B', 'C', 'D']);
  });
});
