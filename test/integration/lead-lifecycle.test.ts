import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { findLeads, resolveLeadName } from '../../src/domain/leads/find-leads.js';
import {
  assignLead,
  changeStage,
  closeLead,
  releaseLead,
  reopenLead,
  type WorkLeadTarget,
} from '../../src/domain/leads/work-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { runSlaSweep } from '../../src/domain/sla/run-sla-sweep.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { codeOf } from '../support/domain-error.js';
import { createTestLead } from '../support/fixtures.js';

const config = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    intake: { defaultRegion: CN, currency: CNY }
    webhook: { url: "http://127.0.0.1:9/hook", secretEnv: HOOK_SECRET }
    members:
      - { name: Ana, slack: UANA }
      - { name: Bo, slack: UBO }
      - { name: Mei, slack: UMEI, role: manager }
  - id: bj
    name: Beijing
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 2h }
    closeReasons: [{ key: budget_frozen, as: lost, labels: [预算冻结] }]
    members:
      - { name: Xu, slack: UXU, role: admin }
      - { name: Yan, slack: UYAN }
  - id: cap
    name: Capped
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 2, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: Cy, slack: UCY }
`,
  'lifecycle',
  '.',
  { HOOK_SECRET: 'a-secret-of-enough-length' },
);
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
const row = (id: number) => db.prisma.lead.findUniqueOrThrow({ where: { id } });
const events = (id: number) =>
  db.prisma.leadEvent.findMany({
    where: { leadId: id },
    orderBy: { id: 'asc' },
    select: { action: true, fromStage: true, toStage: true, reason: true },
  });
const tables = async () => ({
  leads: await db.prisma.lead.count(),
  events: await db.prisma.leadEvent.count(),
  outbox: await db.prisma.outboxMessage.count(),
  deals: await db.prisma.deal.count(),
  customers: await db.prisma.customer.count(),
});

async function ownedBy(user: string, name: string, extra: Record<string, string> = {}): Promise<number> {
  const team = user === 'UYAN' ? 'bj' : user === 'UCY' ? 'cap' : 'sh';
  const id = await createTestLead(deps, { team, name, ...extra });
  await claimLead(deps, { leadId: id, actor: slack(user) });
  return id;
}

describe('the stage machine on PostgreSQL', () => {
  it('stamps each stage once, writes from/to in the audit log and ends the SLA on conversion', async () => {
    const id = await ownedBy('UANA', 'Stage Walker', { company: 'Walker GmbH' });
    const claimedAt = clock.now();
    clock.advance(5 * 60_000);
    await logFollowUp(deps, { leadId: id, actor: slack('UANA'), method: 'call', note: 'first call' });
    const contactedAt = clock.now();
    clock.advance(5 * 60_000);
    await changeStage(deps, on(id, 'UANA'), 'qualified');
    clock.advance(5 * 60_000);
    expect(await codeOf(changeStage(deps, on(id, 'UANA'), 'contacted'))).toBe('stage.back_needs_reason');
    await changeStage(deps, on(id, 'UANA'), 'contacted', 'budget moved to Q2');
    await changeStage(deps, on(id, 'UANA'), 'qualified');
    clock.advance(5 * 60_000);
    const converted = await convertLead(deps, on(id, 'UANA'), '12k EUR');

    expect(converted.result.deal).toEqual({ value: 12_000, currency: 'EUR', expectedClose: null });
    const lead = await row(id);
    expect(lead).toMatchObject({ status: 'closed', stage: 'converted', followUpDueAt: null, remindAt: null });
    expect(lead.ownedSince).toEqual(claimedAt);
    expect(lead.contactedAt).toEqual(contactedAt);
    // Moving back and forth again does not move the first time it was qualified.
    expect(lead.qualifiedAt).toEqual(new Date(contactedAt.getTime() + 5 * 60_000));
    expect(lead.convertedAt).toEqual(clock.now());
    expect((await events(id)).map((e) => `${e.action}:${e.fromStage}>${e.toStage}`)).toEqual([
      'created:null>null',
      'claimed:new>new',
      'followed_up:new>contacted',
      'staged:contacted>qualified',
      'staged:qualified>contacted',
      'staged:contacted>qualified',
      'converted:qualified>converted',
    ]);
  });

  it('a converted or lost lead is never reclaimed and no longer counts against the holding cap', async () => {
    const won = await ownedBy('UCY', 'Won Soon');
    const lost = await ownedBy('UCY', 'Lost Soon');
    expect(
      await codeOf(
        claimLead(deps, { leadId: await createTestLead(deps, { team: 'cap', name: 'Third' }), actor: slack('UCY') }),
      ),
    ).toBe('claim.holding_cap');
    await convertLead(deps, on(won, 'UCY'));
    await closeLead(deps, on(lost, 'UCY'), 'competitor went with Acme');
    clock.advance(3 * 3_600_000);
    const swept = await runSlaSweep(deps);
    expect(swept.reclaimed).toBe(0);
    expect(await row(won)).toMatchObject({ status: 'closed', ownerId: expect.any(String) });
    expect(await row(lost)).toMatchObject({ status: 'closed', stage: 'lost', closeReason: 'competitor' });
    expect((await row(lost)).closedAt).toEqual(new Date(clock.now().getTime() - 3 * 3_600_000));
    const fresh = await createTestLead(deps, { team: 'cap', name: 'Fourth' });
    expect(await codeOf(claimLead(deps, { leadId: fresh, actor: slack('UCY') }))).toBe('done');
  });

  it('refuses what the table or the policy forbids and changes nothing', async () => {
    const pooled = await createTestLead(deps, { team: 'sh', name: 'Pool Only' });
    const anas = await ownedBy('UANA', 'Ana Only');
    const before = await tables();
    expect(await codeOf(convertLead(deps, on(pooled, 'UMEI')))).toBe('lead.not_owned');
    expect(await codeOf(convertLead(deps, on(pooled, 'UANA')))).toBe('lead.not_owned');
    expect(await codeOf(convertLead(deps, on(anas, 'UBO')))).toBe('access.not_owner');
    expect(await codeOf(convertLead(deps, on(anas, 'UANA'), '12 apples'))).toBe('convert.bad_deal');
    expect(await codeOf(closeLead(deps, on(anas, 'UANA'), 'because'))).toBe('close.unknown_reason');
    expect(await codeOf(assignLead(deps, on(anas, 'UANA'), { name: 'Bo' }))).toBe('access.managers_only');
    expect(await codeOf(assignLead(deps, on(anas, 'UMEI'), { name: 'Nobody' }))).toBe('assign.not_member');
    expect(await codeOf(assignLead(deps, on(anas, 'UMEI'), { name: 'Ana' }))).toBe('assign.already_owner');
    expect(await codeOf(reopenLead(deps, on(anas, 'UMEI')))).toBe('lead.not_closed');
    expect(await codeOf(releaseLead(deps, on(anas, 'UANA'), '  '))).toBe('release.needs_reason');
    expect(await codeOf(changeStage(deps, on(anas, 'UYAN'), 'qualified'))).toBe('lead.not_visible');
    expect(await codeOf(changeStage(deps, on(anas, 'UANA'), 'new'))).toBe('stage.unchanged');
    expect(await tables()).toEqual(before);
  });

  it('a manager assigns, reassigns, closes and reopens; owners are told; reasons are the team’s own', async () => {
    const id = await createTestLead(deps, { team: 'sh', name: 'Managed Lead' });
    const assigned = await assignLead(deps, on(id, 'UMEI'), { name: 'an' });
    expect(assigned.assignee?.displayName).toBe('Ana');
    expect(await row(id)).toMatchObject({
      status: 'owned',
      followUpDueAt: new Date(clock.now().getTime() + 3_600_000),
    });
    await assignLead(deps, on(id, 'UMEI'), { identity: slack('UBO') });
    const dms = await db.prisma.outboxMessage.findMany({
      where: { kind: 'member.dm', sink: 'slack', orderKey: `slack:lead:${id}` },
    });
    expect(dms.map((m) => (m.payload as { topic: string }).topic)).toEqual([
      'dm.assigned',
      'dm.assigned',
      'dm.reassigned_away',
    ]);
    await closeLead(deps, on(id, 'UMEI'), 'spam');
    expect(await row(id)).toMatchObject({ status: 'closed', stage: 'invalid', closeReason: 'spam' });
    await reopenLead(deps, on(id, 'UMEI'), 'real person after all');
    expect(await row(id)).toMatchObject({
      status: 'pooled',
      stage: 'new',
      ownerId: null,
      closedAt: null,
      closeReason: null,
    });

    const yans = await ownedBy('UYAN', 'Beijing Lead');
    expect(await codeOf(closeLead(deps, on(yans, 'UYAN'), 'competitor'))).toBe('close.unknown_reason');
    await closeLead(deps, on(yans, 'UYAN'), '预算冻结 明年再说', () => []);
    expect(await row(yans)).toMatchObject({ stage: 'lost', closeReason: 'budget_frozen' });
    const [last] = (await events(yans)).slice(-1);
    expect(last?.reason).toBe('budget_frozen: 明年再说');
    // The global admin of another team reopens it.
    await reopenLead(deps, on(yans, 'UXU'));
    expect((await row(yans)).status).toBe('pooled');
  });

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
