import { describe, expect, it } from 'vitest';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { showLead } from '../../src/domain/leads/show-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { codeOf } from '../support/domain-error.js';
import { memoryWorld } from '../support/memory-world.js';
import { SHOW_TEAMS } from '../support/story-teams.js';

const config = SHOW_TEAMS;
const clock = new ManualClock('2026-12-02T06:20:00Z');
const world = memoryWorld(config, clock);
const deps = { ...world.deps(), leads: world.store.readModel() };
const pooled = world.lead('sh', { name: 'Pooled Wei', email: 'wei@acme.example' });
const owned = world.lead('sh', { name: 'Owned Li', email: 'li@globex.example' });
await claimLead(deps, { leadId: owned, actor: slack('UANA') });

const outcome = (leadId: number, user: string) =>
  codeOf(showLead(deps, { leadId, actor: slack(user) }), (d) => (d.contactVisible ? 'full' : 'masked'));

describe('/lead show: who sees what', () => {
  it.each([
    ['the owner of the owned lead', 'UANA', 'masked', 'full'],
    ['a teammate', 'UBO', 'masked', 'lead.not_visible'],
    ['the team manager', 'UMEI', 'full', 'full'],
    ['a paused member', 'UOFF', 'lead.not_visible', 'lead.not_visible'],
    ['an admin of another team (admins see every team)', 'UXU', 'full', 'full'],
    ['a stranger', 'UNOBODY', 'lead.not_visible', 'lead.not_visible'],
  ])('%s: pooled lead → %s, owned lead → %s', async (_who, user, onPooled, onOwned) => {
    expect(await outcome(pooled, user)).toBe(onPooled);
    expect(await outcome(owned, user)).toBe(onOwned);
  });

  it('answers "does not exist" for an unknown lead', async () => {
    expect(await outcome(999_999, 'UANA')).toBe('lead.not_found');
  });
});
