/**
 * The stage machine's rules through the use cases, on the in-memory store: stamps, audit rows,
 * refusals that change nothing, a manager's moves and a team's own close reasons. What needs SQL
 * (customers found by company, concurrent conversions, search) is in test/integration/lead-lifecycle.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
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
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { codeOf } from '../support/domain-error.js';
import { memoryWorld } from '../support/memory-world.js';
import { LIFECYCLE_TEAMS } from '../support/story-teams.js';

const config = LIFECYCLE_TEAMS;
const clock = new ManualClock('2026-12-02T06:00:00Z');
const world = memoryWorld(config, clock);
const deps = world.deps();
const { row } = world;

const on = (leadId: number, user: string): WorkLeadTarget => ({ leadId, actor: slack(user) });
const events = async (id: number) => world.store.events.filter((e) => e.leadId === id);

async function ownedBy(user: string, name: string, extra: Record<string, string> = {}): Promise<number> {
  const team = user === 'UYAN' ? 'bj' : user === 'UCY' ? 'cap' : 'sh';
  const id = world.lead(team, { name, ...extra });
  await claimLead(deps, { leadId: id, actor: slack(user) });
  return id;
}

describe('the stage machine', () => {
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
    expect(await codeOf(claimLead(deps, { leadId: world.lead('cap', { name: 'Third' }), actor: slack('UCY') }))).toBe(
      'claim.holding_cap',
    );
    await convertLead(deps, on(won, 'UCY'));
    await closeLead(deps, on(lost, 'UCY'), 'competitor went with Acme');
    clock.advance(3 * 3_600_000);
    const swept = await runSlaSweep(deps);
    expect(swept.reclaimed).toBe(0);
    expect(await row(won)).toMatchObject({ status: 'closed', ownerId: expect.any(String) });
    expect(await row(lost)).toMatchObject({ status: 'closed', stage: 'lost', closeReason: 'competitor' });
    expect((await row(lost)).closedAt).toEqual(new Date(clock.now().getTime() - 3 * 3_600_000));
    const fresh = world.lead('cap', { name: 'Fourth' });
    expect(await codeOf(claimLead(deps, { leadId: fresh, actor: slack('UCY') }))).toBe('done');
  });

  it('refuses what the table or the policy forbids and changes nothing', async () => {
    const pooled = world.lead('sh', { name: 'Pool Only' });
    const anas = await ownedBy('UANA', 'Ana Only');
    const before = world.store.writes;
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
    expect(world.store.writes).toBe(before);
  });

  it('a manager assigns, reassigns, closes and reopens; owners are told; reasons are the team’s own', async () => {
    const id = world.lead('sh', { name: 'Managed Lead' });
    const assigned = await assignLead(deps, on(id, 'UMEI'), { name: 'an' });
    expect(assigned.assignee?.displayName).toBe('Ana');
    expect(await row(id)).toMatchObject({
      status: 'owned',
      followUpDueAt: new Date(clock.now().getTime() + 3_600_000),
    });
    await assignLead(deps, on(id, 'UMEI'), { identity: slack('UBO') });
    expect(world.dms(id).map((m) => m.topic)).toEqual(['dm.assigned', 'dm.assigned', 'dm.reassigned_away']);
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
});
