import { describe, expect, it } from 'vitest';
import type { Lead, Member, TeamPolicy } from '../../src/domain/leads/lead.js';
import { identity } from '../../src/domain/members/identity.js';
import { DomainError } from '../../src/domain/shared/errors.js';
import { catalogs, t } from '../../src/i18n/catalog.js';
import { buildLeadCard } from '../../src/messengers/lark/views/lead-card.card.js';
import { parseLeadCommand } from '../../src/messengers/shared/command-parser.js';
import { presentFollowUpLogged } from '../../src/messengers/shared/presenters/command-reply.presenter.js';
import { maskEmail, maskPhone } from '../../src/messengers/shared/presenters/contact.js';
import { presentDuplicateQuestion } from '../../src/messengers/shared/presenters/duplicate-question.presenter.js';
import { presentError } from '../../src/messengers/shared/presenters/error.presenter.js';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { buildLeadCardBlocks } from '../../src/messengers/slack/views/lead-card.blocks.js';
import { testLead, testTeam } from '../support/fixtures.js';

const team: TeamPolicy = testTeam();

const lead: Lead = testLead({ phone: '+86 138 0013 8000' });

const member: Member = {
  id: 'm1',
  teamId: 'alpha',
  displayName: 'Ana',
  role: 'rep',
  locale: 'en',
  active: true,
};

describe('parseLeadCommand', () => {
  it('parses help, mine and log', () => {
    expect(parseLeadCommand('')).toEqual({ kind: 'help' });
    expect(parseLeadCommand(' MINE ')).toEqual({ kind: 'mine' });
    expect(parseLeadCommand('log L-7 phone Called,  left a message')).toEqual({
      kind: 'log',
      lead: { id: 7 },
      method: 'call',
      note: 'Called, left a message',
    });
  });

  it('reads pause and resume: who before "until", the time after it, in both languages', () => {
    expect(parseLeadCommand('pause')).toEqual({ kind: 'pause' });
    expect(parseLeadCommand('pause until fri 18:00')).toEqual({ kind: 'pause', until: 'fri 18:00' });
    expect(parseLeadCommand('pause <@U0001|ann> until in 3d')).toEqual({
      kind: 'pause',
      who: { mention: 'U0001' },
      until: 'in 3d',
    });
    expect(parseLeadCommand('pause Ann Lee')).toEqual({ kind: 'pause', who: { name: 'Ann Lee' } });
    expect(parseLeadCommand('暂停 到 下周一 9点')).toEqual({ kind: 'pause', until: '下周一 9点' });
    expect(parseLeadCommand('pause until')).toEqual({ kind: 'invalid', problem: 'cmd.pause.missing', params: {} });
    expect(parseLeadCommand('resume')).toEqual({ kind: 'resume' });
    expect(parseLeadCommand('why L-7')).toEqual({ kind: 'why', lead: { id: 7 } });
    expect(parseLeadCommand('为什么 7')).toEqual({ kind: 'why', lead: { id: 7 } });
    expect(parseLeadCommand('why')).toEqual({ kind: 'invalid', problem: 'why.missing', params: {} });
    expect(parseLeadCommand('move L-7 East Coast')).toEqual({ kind: 'move', lead: { id: 7 }, pool: 'East Coast' });
    expect(parseLeadCommand('移池 7')).toEqual({ kind: 'invalid', problem: 'cmd.move.missing', params: {} });
    expect(parseLeadCommand('恢复 @张三')).toEqual({ kind: 'resume', who: { name: '张三' } });
  });

  it('reads show with a lead reference, in both languages', () => {
    expect(parseLeadCommand('show L-7')).toEqual({ kind: 'show', lead: { id: 7 } });
    expect(parseLeadCommand('查看 #7')).toEqual({ kind: 'show', lead: { id: 7 } });
    expect(parseLeadCommand('show')).toMatchObject({ kind: 'invalid', problem: 'cmd.show.missing' });
    expect(parseLeadCommand('show Acme')).toEqual({ kind: 'show', lead: { search: 'Acme' } });
    expect(parseLeadCommand('show 99999999999')).toMatchObject({ kind: 'invalid', problem: 'cmd.log.bad_lead' });
    expect(parseLeadCommand('show <@U123>')).toMatchObject({ kind: 'invalid', problem: 'cmd.log.bad_lead' });
  });

  it.each<[string, object]>([
    [
      'log 7 call Spoke to the CFO outcome: interested next step: send the quote next: fri 10:00',
      { note: 'Spoke to the CFO', outcome: 'interested', nextStep: 'send the quote', next: 'fri 10:00' },
    ],
    [
      '跟进 7 call 已沟通 结果：有意向 下一步：发报价 下次：明天上午10点',
      { note: '已沟通', outcome: 'interested', nextStep: '发报价', next: '明天上午10点' },
    ],
    [
      'log 7 other met at the fair step: call back outcome: No Answer',
      { method: 'other', note: 'met at the fair', nextStep: 'call back', outcome: 'no_answer' },
    ],
  ])('reads the parts of a follow-up: %j', (text, parts) =>
    expect(parseLeadCommand(text)).toMatchObject({ kind: 'log', ...parts }),
  );

  it('names an unknown outcome', () => {
    expect(parseLeadCommand('log 7 call hi outcome: great')).toMatchObject({
      kind: 'invalid',
      problem: 'cmd.log.bad_outcome',
      params: { text: 'great' },
    });
  });

  it.each<[string, object]>([
    ['find Globex Ltd', { kind: 'find', text: 'Globex Ltd' }],
    ['查找 138 0013', { kind: 'find', text: '138 0013' }],
    ['stage L-7 qualified', { kind: 'stage', lead: { id: 7 }, stage: 'qualified', reason: '' }],
    ['阶段 7 已联系 预算推迟', { kind: 'stage', lead: { id: 7 }, stage: 'contacted', reason: '预算推迟' }],
    [
      'stage Globex new wrong stage',
      { kind: 'stage', lead: { search: 'Globex' }, stage: 'new', reason: 'wrong stage' },
    ],
    ['convert 7', { kind: 'convert', lead: { id: 7 }, deal: '' }],
    ['转化 L-7 1.2万 CNY', { kind: 'convert', lead: { id: 7 }, deal: '1.2万 CNY' }],
    ['lost 7 competitor went with Acme', { kind: 'close', lead: { id: 7 }, reason: 'competitor went with Acme' }],
    ['丢单 7 没预算', { kind: 'close', lead: { id: 7 }, reason: '没预算' }],
    ['invalid 7 spam', { kind: 'close', lead: { id: 7 }, reason: 'spam' }],
    ['release 7 not my region', { kind: 'release', lead: { id: 7 }, reason: 'not my region' }],
    ['assign 7 <@U024BE7LH|ana>', { kind: 'assign', lead: { id: 7 }, to: { mention: 'U024BE7LH' } }],
    ['分配 7 王芳', { kind: 'assign', lead: { id: 7 }, to: { name: '王芳' } }],
    ['reopen 7', { kind: 'reopen', lead: { id: 7 }, reason: '' }],
  ])('reads %j', (text, command) => expect(parseLeadCommand(text)).toEqual(command));

  it.each<[string, string]>([
    ['find', 'cmd.find.missing'],
    ['stage 7', 'cmd.stage.missing'],
    ['stage 7 won', 'cmd.stage.bad_stage'],
    ['stage', 'cmd.stage.missing'],
    ['lost 7', 'cmd.close.missing'],
    ['release 7', 'cmd.release.missing'],
    ['assign 7', 'cmd.assign.missing'],
    ['convert', 'cmd.convert.missing'],
    ['reopen', 'cmd.reopen.missing'],
    [`release 7 ${'x'.repeat(2001)}`, 'cmd.log.note_too_long'],
  ])('refuses %j with %s', (text, problem) => {
    expect(parseLeadCommand(text)).toMatchObject({ kind: 'invalid', problem });
  });

  it('reads the filters of mine in both languages and names a wrong one', () => {
    expect(parseLeadCommand('mine overdue')).toEqual({ kind: 'mine', only: 'overdue' });
    expect(parseLeadCommand('我的 今天')).toEqual({ kind: 'mine', only: 'today' });
    expect(parseLeadCommand('mine Today')).toEqual({ kind: 'mine', only: 'today' });
    expect(parseLeadCommand('mine soon')).toMatchObject({
      kind: 'invalid',
      problem: 'cmd.mine.bad_filter',
      params: { text: 'soon' },
    });
  });

  it('reads a next contact time after "next:" or "下次:", leaving the note without it', () => {
    expect(parseLeadCommand('log 7 call Spoke to the CFO next: tomorrow 10am')).toEqual({
      kind: 'log',
      lead: { id: 7 },
      method: 'call',
      note: 'Spoke to the CFO',
      next: 'tomorrow 10am',
    });
    expect(parseLeadCommand('跟进 L-7 call 已电话沟通下次：明天上午10点')).toMatchObject({
      note: '已电话沟通',
      next: '明天上午10点',
    });
    expect(parseLeadCommand('log 7 call Next: week plan next: fri')).toMatchObject({
      note: 'Next: week plan',
      next: 'fri',
    });
    expect(parseLeadCommand('log 7 call nextgen rollout')).toMatchObject({ note: 'nextgen rollout' });
    expect(parseLeadCommand('log 7 call next: tomorrow')).toMatchObject({
      kind: 'invalid',
      problem: 'cmd.log.missing',
    });
  });

  it('says when the promised next contact is later than the SLA allows, in both languages and the team zone', () => {
    const logged = {
      lead,
      dueAt: new Date('2026-12-04T06:20:00Z'),
      nextContactAt: new Date('2026-12-07T02:00:00Z'),
    };
    expect(presentFollowUpLogged('en', 'call', logged, 'Asia/Shanghai')).toMatch(
      /^Logged a follow-up \(call\) on L-12\. You plan the next contact for .*Dec.*7.*10:00.*next follow-up due .*Dec.*4.*14:20/,
    );
    expect(presentFollowUpLogged('zh-CN', 'call', logged, 'Asia/Shanghai')).toContain('团队跟进时限更早');
    const sooner = { ...logged, nextContactAt: logged.dueAt };
    expect(presentFollowUpLogged('en', 'call', sooner, 'Asia/Shanghai')).toMatch(
      /^Logged a follow-up \(call\) on L-12\. Next follow-up due/,
    );
  });

  it('names the problem in malformed input', () => {
    expect(parseLeadCommand('dance')).toMatchObject({
      kind: 'invalid',
      problem: 'cmd.unknown',
      params: { word: 'dance' },
    });
    expect(parseLeadCommand('log 7 call')).toMatchObject({ problem: 'cmd.log.missing' });
    expect(parseLeadCommand('log x call hi')).toMatchObject({ problem: 'cmd.log.bad_lead', params: { text: 'x' } });
    expect(parseLeadCommand('log 7 fax hi')).toMatchObject({ problem: 'cmd.log.bad_method', params: { text: 'fax' } });
    expect(parseLeadCommand(`log 7 call ${'x'.repeat(2001)}`)).toMatchObject({ problem: 'cmd.log.note_too_long' });
  });
});

describe('message catalog', () => {
  // A plural ({count, plural, one {…} other {…}}) names its placeholder too.
  const placeholders = (text: string) =>
    [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

  it('has every English key in Simplified Chinese, with the same placeholders and no blanks', () => {
    expect(Object.keys(catalogs['zh-CN']).sort()).toEqual(Object.keys(catalogs.en).sort());
    for (const [key, en] of Object.entries(catalogs.en)) {
      const zh = catalogs['zh-CN'][key as keyof typeof catalogs.en];
      expect(zh.trim(), key).not.toBe('');
      expect(placeholders(zh), key).toEqual(placeholders(en));
    }
  });

  it('fills parameters and shows dates in the team time zone', () => {
    const text = t('en', 'claim.cooldown', { until: new Date('2026-03-02T06:00:00Z') }, 'Asia/Shanghai');
    expect(text).toContain('14:00');
    expect(
      t('zh-CN', 'claim.daily_quota', { used: 5, quota: 5, until: new Date('2026-03-02T16:00:00Z') }, 'Asia/Shanghai'),
    ).toMatch(/^今日领取额度已用完：今天 5\/5。将于 .*00:00.* 重置。$/);
  });
});

describe('presenters', () => {
  it('masks contact details', () => {
    expect(maskEmail('wei@acme.example')).toBe('w•••@acme.example');
    expect(maskPhone('+86 138 0013 8000')).toBe('+86 ••• ••00');
    expect(maskPhone('123')).toBe('•••');
  });

  it('shows a claimable card for a pooled lead with the contact masked', () => {
    const view = presentLeadCard({ lead, owner: null, returnedFrom: null, related: [] }, team);
    expect(view.title).toBe('New lead L-12: Zhang Wei');
    expect(view.claim).toEqual({ actionId: 'lead.claim', value: '12', label: 'Claim' });
    expect(JSON.stringify(view)).not.toContain('wei@acme.example');
    expect(view.fields.map((f) => f.label)).toEqual(['Company', 'Region', 'Source', 'Contact']);
    expect(view.fields.find((f) => f.label === 'Source')?.value).toBe('Website');
  });

  it('shows the score with the rules behind it, budget, same-company leads and a duplicate note', () => {
    const scored = {
      ...lead,
      score: 45,
      priority: 'high' as const,
      grade: 'good' as const,
      budget: { min: 50_000, max: 80_000, currency: 'CNY' },
      decisionRole: 'decision_maker' as const,
      decisionProcess: 'CFO signs',
      duplicateOfId: 3,
      scoreDetail: [
        { rule: 'decision_maker', label: 'Decision maker', points: 20 },
        { rule: 'unverified_source', label: 'Bought or crawled contact', points: -5 },
      ],
    };
    const related = [
      { id: 3, status: 'owned' as const, ownerName: 'Ana' },
      { id: 9, status: 'pooled' as const, ownerName: null },
    ];
    const view = presentLeadCard({ lead: scored, owner: null, returnedFrom: null, related }, team);
    expect(view.score).toEqual({
      summary: '45 points · high priority · good profile',
      why: 'Why: +20 Decision maker, -5 Bought or crawled contact',
    });
    expect(view.fields.find((f) => f.label === 'Budget')?.value).toBe('50,000–80,000 CNY');
    expect(view.notes).toEqual([
      'Possible duplicate of L-3: its owner did not answer in time.',
      'Same company: L-3 (owned by Ana), L-9 (in the pool)',
    ]);
    const zh = presentLeadCard(
      { lead: scored, owner: null, returnedFrom: null, related },
      { ...team, locale: 'zh-CN' },
    );
    expect(zh.score.summary).toBe('45 分 · 优先级高 · 资料完整');
    expect(view.fields.find((f) => f.label === 'Decision')?.value).toBe('Decision maker · CFO signs');
    expect(zh.fields.find((f) => f.label === '决策')?.value).toBe('决策人 · CFO signs');
    const blocks = JSON.stringify(buildLeadCardBlocks(view).blocks);
    expect(blocks).toContain('+20 Decision maker');
    expect(blocks).toContain('Same company: L-3 (owned by Ana)');
  });

  it('says how an owned lead was taken: claimed, assigned by a manager, or by its pool', () => {
    const owned = { ...lead, status: 'owned' as const, ownerId: 'm1', followUpDueAt: new Date('2026-03-02T02:00:00Z') };
    const card = (taken: Parameters<typeof presentLeadCard>[0]['taken'], locale: TeamPolicy['locale'] = 'en') =>
      presentLeadCard({ lead: owned, owner: member, returnedFrom: null, related: [], taken }, { ...team, locale })
        .status;
    expect(card({ how: 'claimed' })).toMatch(/^Claimed by Ana\./);
    expect(card({ how: 'assigned', by: 'Max Mueller' })).toMatch(/^Assigned to Ana by Max Mueller\./);
    expect(card({ how: 'assigned', by: null })).toMatch(/^Assigned to Ana by the pool’s rules\./);
    expect(card({ how: 'assigned', by: 'Max Mueller' }, 'zh-CN')).toMatch(/^Max Mueller 已分配给 Ana。/);
  });

  it('shows the owner and no button once claimed, and who lost it after a reclaim', () => {
    const owned = presentLeadCard(
      {
        lead: { ...lead, status: 'owned', ownerId: 'm1', followUpDueAt: new Date('2026-03-02T02:00:00Z') },
        owner: member,
        returnedFrom: null,
        related: [],
      },
      team,
    );
    expect(owned.claim).toBeNull();
    expect(owned.status).toContain('Claimed by Ana');
    expect(owned.status).toContain('10:00');
    const returned = presentLeadCard(
      { lead, owner: null, returnedFrom: member, related: [] },
      { ...team, locale: 'zh-CN' },
    );
    expect(returned.status).toContain('Ana 未在期限内跟进');
    expect(returned.claim?.label).toBe('领取');
  });

  it('turns domain errors into specific sentences and unknown errors into an apology', () => {
    expect(presentError(new DomainError('claim.holding_cap', { held: 30, cap: 30 }), 'en').text).toContain('30/30');
    expect(presentError(new DomainError('lead.already_claimed', { owner: 'Ana', yours: 1 }), 'en').text).toBe(
      'You already own this lead.',
    );
    expect(presentError(new DomainError('access.not_owner', { lead: 3 }), 'en').text).toContain('L-3');
    expect(presentError(new Error('boom'), 'zh-CN')).toEqual({
      text: catalogs['zh-CN']['error.unexpected'],
      expected: false,
    });
  });
});

describe('Slack lead card blocks', () => {
  it('keeps within Block Kit limits', () => {
    const long = { ...lead, name: 'N'.repeat(400), need: 'x'.repeat(5000) };
    const { blocks, text } = buildLeadCardBlocks(
      presentLeadCard({ lead: long, owner: null, returnedFrom: null, related: [] }, team),
    );
    const header = blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe('header');
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const section = blocks.find((b) => b.type === 'section') as { fields: { text: string }[] };
    expect(section.fields.length).toBeLessThanOrEqual(10);
    for (const f of section.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    expect(text.length).toBeLessThanOrEqual(3000);
    expect(blocks.filter((b) => b.type === 'actions')).toHaveLength(1);
  });

  it('escapes mrkdwn control characters from lead data', () => {
    const { blocks } = buildLeadCardBlocks(
      presentLeadCard(
        { lead: { ...lead, company: '<!channel> & Co' }, owner: null, returnedFrom: null, related: [] },
        team,
      ),
    );
    expect(JSON.stringify(blocks)).toContain('&lt;!channel&gt; &amp; Co');
  });
});

describe('the reps told first, on a good lead’s card', () => {
  const alerted = [
    { name: 'Ann', identities: [identity('slack', 'T1', 'UANN'), identity('lark', '', 'ou_ann')] },
    // Names and ids from outside: a name is escaped, an id that is not one is not used as one.
    {
      name: '<!channel> Bo',
      identities: [identity('slack', 'T1', 'U1> <!here'), identity('lark', '', 'x></at><at id=all')],
    },
  ];
  const view = presentLeadCard({ lead, owner: null, returnedFrom: null, related: [], alerted }, team);

  it('mentions real Slack ids and names anyone else, escaped', () => {
    const block = buildLeadCardBlocks(view).blocks.find((b) => b.block_id === 'lead_alert') as {
      text: { text: string };
    };
    expect(block.text.text).toBe('*Told first:* <@UANN> &lt;!channel&gt; Bo');
  });

  it('mentions real Lark ids in the one markdown element, and names anyone else as plain text', () => {
    const elements = buildLeadCard(view).body.elements;
    expect(elements.filter((e) => e.tag === 'markdown')).toEqual([
      { tag: 'markdown', content: 'Told first: <at id=ou_ann></at>' },
    ]);
    expect(JSON.stringify(elements)).toContain('"plain_text","content":"<!channel> Bo"');
  });

  it('shows nobody once the lead has an owner', () => {
    const owned = presentLeadCard(
      {
        lead: { ...lead, status: 'owned', ownerId: member.id },
        owner: member,
        returnedFrom: null,
        related: [],
        alerted,
      },
      team,
    );
    expect(owned.alert).toBeNull();
  });
});

describe('the question to the owner of a possible repeat', () => {
  it('says which key the new lead shares, in the owner’s language', () => {
    const incoming = { ...lead, id: 8, duplicateDueAt: new Date('2026-11-29T10:00:00Z') };
    const existing = { ...lead, id: 3 };
    expect(presentDuplicateQuestion(incoming, existing, member, team, 'email').text).toContain(
      'Recognised by the same e-mail.',
    );
    const zh = presentDuplicateQuestion(incoming, existing, { ...member, locale: 'zh-CN' }, team, 'name_company');
    expect(zh.text).toContain('识别依据：相同的姓名与公司。');
    expect(presentDuplicateQuestion(incoming, existing, member, team).text).not.toContain('Recognised');
  });
});
