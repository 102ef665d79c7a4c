import { describe, expect, it } from 'vitest';
import type { Member } from '../../src/domain/leads/lead.js';
import { directMessageButtons } from '../../src/messengers/shared/presenters/direct-message.presenter.js';
import { testLead, testTeam } from '../support/fixtures.js';

const rep: Member = { id: 'm-rep', teamId: 'alpha', displayName: 'Ann', role: 'rep', locale: 'en', active: true };
const manager: Member = { ...rep, id: 'm-boss', displayName: 'Mo', role: 'manager' };
const owned = testLead({ status: 'owned', ownerId: rep.id });
const ids = (buttons: { actionId: string }[]) => buttons.map((b) => b.actionId);

describe('the buttons of a DM', () => {
  it('a deadline reminder offers Log follow-up, Ask for more time (where the team allows it) and Release', () => {
    const allowing = testTeam({ extension: { by: 86_400_000, max: 172_800_000 } });
    expect(ids(directMessageButtons('dm.sla_reminder', owned, rep, allowing))).toEqual([
      'lead.follow_up.open',
      'lead.extension.open',
      'lead.release.open',
    ]);
    expect(ids(directMessageButtons('dm.sla_overdue_owner', owned, rep, testTeam()))).toEqual([
      'lead.follow_up.open',
      'lead.release.open',
    ]);
  });

  it('a claim DM offers Log follow-up; nothing once the lead is not theirs', () => {
    expect(ids(directMessageButtons('dm.claim_won', owned, rep, testTeam()))).toEqual(['lead.follow_up.open']);
    expect(directMessageButtons('dm.sla_reminder', testLead({ status: 'pooled' }), rep, testTeam())).toEqual([]);
  });

  it('a request for more time offers the manager Approve and Deny while the lead is owned', () => {
    expect(ids(directMessageButtons('dm.extension_requested', owned, manager, testTeam()))).toEqual([
      'lead.extension.approve',
      'lead.extension.deny',
    ]);
    expect(directMessageButtons('dm.extension_requested', testLead({ status: 'pooled' }), manager)).toEqual([]);
  });
});
