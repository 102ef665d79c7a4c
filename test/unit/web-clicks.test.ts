/**
 * The playground's clicks: a third messenger over the same interaction table, use cases, identities,
 * access policy and quotas as Slack and Lark, on the in-memory store.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import { ACTION_IDS, FORM_ACTIONS } from '../../src/messengers/shared/action-ids.js';
import { INTERACTIONS } from '../../src/messengers/shared/interactions.js';
import { personDirectory } from '../../src/messengers/shared/member-directory.js';
import { answerWebClick, type WebDeps } from '../../src/messengers/web/clicks.js';
import { playgroundPeople } from '../../src/messengers/web/people.js';
import { memoryWorld } from '../support/memory-world.js';

const config = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 5, holdingCap: 5, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: Ana, slack: UANA }
      - { name: 王芳, lark: ou_wang, locale: zh-CN }
      - { name: Mei, slack: UMEI, role: manager }
`,
  'web',
);
const clock = new ManualClock('2026-12-07T02:00:00Z');
const world = memoryWorld(config, clock);
const deps = {
  ...world.deps(),
  leads: world.store.readModel(),
  sources: sourceCatalog(),
  directory: personDirectory(config.teams, config.members),
  posts: { find: async () => null, save: async () => {}, sealBurst: async () => [], burstLeads: async () => [] },
  people: () => playgroundPeople(config.members, config.teams),
  log: createLogger('error', () => {}),
} as unknown as WebDeps;
const ANA = 'slack-UANA';
const WANG = 'lark-ou_wang';
const click = (as: string, interaction: string, subject: Record<string, unknown>, form = {}) =>
  answerWebClick(deps, { as, interaction, subject, form });

describe('the playground as a third messenger', () => {
  it('lists each person once, with their key, language and teams', () => {
    expect(deps.people()).toEqual([
      { key: ANA, name: 'Ana', locale: 'en', teams: [{ id: 'sh', name: 'Shanghai', role: 'rep' }] },
      { key: WANG, name: '王芳', locale: 'zh-CN', teams: [{ id: 'sh', name: 'Shanghai', role: 'rep' }] },
      { key: 'slack-UMEI', name: 'Mei', locale: 'en', teams: [{ id: 'sh', name: 'Shanghai', role: 'manager' }] },
    ]);
  });

  it('two people race for one lead: one owns it and sees the card, the other is told why, in their language', async () => {
    const leadId = world.lead('sh', { name: '<img src=x onerror=alert(1)>' });
    const [a, b] = await Promise.all([
      click(ANA, ACTION_IDS.claimLead, { lead: String(leadId) }),
      click(WANG, ACTION_IDS.claimLead, { lead: String(leadId) }),
    ]);
    const answers = [a, b].map((r) => (r.ok ? r.answer : null));
    const won = answers.find((x) => x?.kind === 'card');
    const lost = answers.find((x) => x?.kind === 'notice');
    expect(won).toMatchObject({ kind: 'card', leadId, card: { kind: 'card' } });
    // The lead's name is data for the page to show as text, never markup it runs.
    expect(JSON.stringify(won)).toContain('<img src=x onerror=alert(1)>');
    expect(lost).toMatchObject({ kind: 'notice', tone: 'warning' });
    expect((await world.row(leadId)).status).toBe('owned');
    // The loser reads the refusal in their own language.
    const winner = (await world.store.readModel().member((await world.row(leadId)).ownerId ?? ''))?.displayName;
    const loserText = lost?.kind === 'notice' ? lost.text : '';
    expect(loserText).toMatch(winner === 'Ana' ? /晚了一步.*Ana/ : /Too late.*王芳/);
  });

  it('opens the follow-up form for the person alone, shows problems under their fields, then logs it', async () => {
    const leadId = world.lead('sh', { name: 'Form Lead' });
    await click(ANA, ACTION_IDS.claimLead, { lead: String(leadId) });
    const opened = await click(ANA, ACTION_IDS.openFollowUp, { lead: String(leadId) });
    expect(opened).toMatchObject({ ok: true, answer: { kind: 'form', privately: true } });
    const refused = await click(ANA, FORM_ACTIONS.followUpSubmit, { lead: leadId }, { note: '   ' });
    expect(refused).toMatchObject({ ok: true, answer: { kind: 'form' } });
    const errors = refused.ok && refused.answer.kind === 'form' ? refused.answer.form.errors : {};
    expect(Object.keys(errors).sort()).toEqual(['method', 'note']);
    expect(world.store.followUps.filter((f) => f.leadId === leadId)).toEqual([]);
    const done = await click(ANA, FORM_ACTIONS.followUpSubmit, { lead: leadId }, { method: 'call', note: 'Reached' });
    expect(done).toMatchObject({ ok: true, answer: { kind: 'replace' } });
    expect(world.store.followUps.filter((f) => f.leadId === leadId)).toHaveLength(1);
  });

  it('routes every row of the table, and refuses a forged subject, an unknown person and a broken request', async () => {
    for (const id of INTERACTIONS.keys()) {
      const answer = await click(WANG, id, { lead: 'x', team: 'NO' });
      expect(answer).toMatchObject({ ok: true, answer: { kind: 'notice', tone: 'warning', title: '已过期' } });
    }
    expect(await click('slack-UNOBODY', ACTION_IDS.claimLead, { lead: '1' })).toMatchObject({ ok: false, status: 403 });
    const broken = await answerWebClick(deps, { as: ANA, interaction: 42 });
    expect(broken).toMatchObject({ ok: false, status: 400 });
    expect(broken.ok ? '' : broken.error).toMatch(/interaction/);
  });
});
