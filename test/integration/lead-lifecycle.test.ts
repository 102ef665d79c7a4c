import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { findLeads, resolveLeadName } from '../../src/domain/leads/find-leads.js';
import type { WorkLeadTarget } from '../../src/domain/leads/work-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { codeOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';
import { LIFECYCLE_TEAMS } from '../support/story-teams.js';

const config = LIFECYCLE_TEAMS;
const clock = new ManualClock('2026-12-02T06:00:00Z');
const teams = teamDirectory(config.teams);
let testDb: TestDatabase;
let db: Database;
let deps: { store: PrismaLeadStore; teams: typeof teams; clock: ManualClock };

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
  await syncTeams(db.prisma, config, clock.now());
  deps = { store: new PrismaLeadStore(db.prisma), teams, clock };
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const on = (leadId: number, user: string): WorkLeadTarget => ({ leadId, actor: slack(user) });
async function ownedBy(user: string, name: string, extra: Record<string, string> = {}): Promise<number> {
  const team = user === 'UYAN' ? 'bj' : user === 'UCY' ? 'cap' : 'sh';
  const id = await createTestLead(deps, { team, name, ...extra });
  await claimLead(deps, { leadId: id, actor: slack(user) });
  return id;
}

describe('the stage machine on PostgreSQL: customers, races and search', () => {
  it('converting a second lead of the same company joins the same customer; a person without one gets their own', async () => {
    const first = await ownedBy('UANA', 'Li Na', { company: 'Globex Ltd.' });
    const second = await ownedBy('UANA', 'Wang Wei', { company: 'GLOBEX Limited' });
    const a = await convertLead(deps, on(first, 'UANA'), '1.2万');
    const b = await convertLead(deps, on(second, 'UANA'));
    expect(a.result.customerId).toBe(b.result.customerId);
    expect(a.result.deal).toMatchObject({ value: 12_000, currency: 'CNY' });
    const loner = await ownedBy('UBO', 'Solo Person');
    const c = await convertLead(deps, on(loner, 'UBO'));
    expect(c.result.customerId).not.toBe(a.result.customerId);
    expect(c.result.customerName).toBe('Solo Person');
    expect(await db.prisma.contact.count({ where: { customerId: a.result.customerId } })).toBe(2);
    // Each conversion queued exactly one webhook delivery, on its own sink.
    const hooks = await db.prisma.outboxMessage.findMany({ where: { kind: 'conversion.webhook' } });
    expect(hooks.every((h) => h.sink === 'webhook')).toBe(true);
    expect(hooks.filter((h) => [first, second, loner].includes((h.payload as { leadId: number }).leadId))).toHaveLength(
      3,
    );
  });

  it('concurrent conversions of one lead: exactly one wins, one deal, one customer row', async () => {
    const id = await ownedBy('UANA', 'Race Corp Buyer', { company: 'Race Corp' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => codeOf(convertLead(deps, on(id, 'UANA'), '500'))),
    );
    expect(results.filter((r) => r === 'done')).toHaveLength(1);
    expect(results.filter((r) => r !== 'done').every((r) => r === 'lead.closed')).toBe(true);
    expect(await db.prisma.deal.count({ where: { leadId: id } })).toBe(1);
    expect(await db.prisma.leadEvent.count({ where: { leadId: id, action: 'converted' } })).toBe(1);
  });

  it('finds leads by name, company, phone and e-mail, only among those the person may see', async () => {
    const pooled = await createTestLead(deps, {
      team: 'sh',
      name: 'Findable Zhou',
      company: 'Zhou Trading',
      phone: '+86 139 0000 4321',
      email: 'zhou@trading.example',
    });
    const mine = await ownedBy('UANA', 'Findable Qian', { company: 'Qian Co' });
    const theirs = await ownedBy('UBO', 'Findable Sun');
    const ids = async (user: string, text: string) =>
      (await findLeads(deps.store, slack(user), text)).map((l) => l.lead.id).sort();
    expect(await ids('UANA', 'findable')).toEqual([pooled, mine].sort());
    expect(await ids('UMEI', 'Findable')).toEqual([pooled, mine, theirs].sort());
    expect(await ids('UXU', 'findable')).toEqual([pooled, mine, theirs].sort());
    expect(await ids('UYAN', 'findable')).toEqual([]);
    expect(await ids('UANA', 'zhou trading')).toEqual([pooled]);
    expect(await ids('UANA', '0000 4321')).toEqual([pooled]);
    expect(await ids('UANA', 'ZHOU@trading')).toEqual([pooled]);
    expect(await ids('UANA', '100%_')).toEqual([]);
    expect(await resolveLeadName(deps.store, slack('UANA'), { search: 'Qian' })).toBe(mine);
    const [found] = await findLeads(deps.store, slack('UMEI'), 'Findable Qian');
    expect(found?.ownerName).toBe('Ana');
    expect(await codeOf(resolveLeadName(deps.store, slack('UANA'), { search: 'Findable' }))).toBe('find.ambiguous');
    expect(await codeOf(resolveLeadName(deps.store, slack('UANA'), { search: 'Sun' }))).toBe('find.no_match');
  });
});
