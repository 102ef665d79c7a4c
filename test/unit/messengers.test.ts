import { describe, expect, it } from 'vitest';
import type { Lead, Member, TeamPolicy } from '../../src/domain/leads/lead.js';
import { DomainError } from '../../src/domain/shared/errors.js';
import { parseLeadCommand } from '../../src/messengers/shared/command-parser.js';
import { catalogs, t } from '../../src/messengers/shared/i18n/catalog.js';
import { maskEmail, maskPhone } from '../../src/messengers/shared/presenters/contact.js';
import { presentError } from '../../src/messengers/shared/presenters/error.presenter.js';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { buildLeadCardBlocks } from '../../src/messengers/slack/views/lead-card.blocks.js';

const team: TeamPolicy = {
  id: 'alpha',
  name: 'Alpha',
  timeZone: 'Asia/Shanghai',
  locale: 'en',
  dailyClaimQuota: 5,
  holdingCap: 30,
  cooldownMs: 3_600_000,
  followUpMs: 600_000,
  remindBeforeMs: 120_000,
  slackChannelId: 'C1',
};

const lead: Lead = {
  id: 12,
  teamId: 'alpha',
  status: 'pooled',
  stage: 'new',
  name: 'Zhang Wei',
  company: 'Acme',
  title: null,
  email: 'wei@acme.example',
  phone: '+86 138 0013 8000',
  region: 'East',
  industry: null,
  need: null,
  notes: null,
  source: 'website',
  ownerId: null,
  ownedSince: null,
  followUpDueAt: null,
  remindAt: null,
  reminderSentAt: null,
  createdAt: new Date('2026-03-02T00:00:00Z'),
};

const member: Member = {
  id: 'm1',
  teamId: 'alpha',
  slackUserId: 'U1',
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
      leadId: 7,
      method: 'call',
      note: 'Called, left a message',
    });
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
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
    expect(t('zh-CN', 'claim.daily_quota', { used: 5, quota: 5 })).toBe(
      '今日领取额度已用完：今天 5/5。团队时间零点重置。',
    );
  });
});

describe('presenters', () => {
  it('masks contact details', () => {
    expect(maskEmail('wei@acme.example')).toBe('w•••@acme.example');
    expect(maskPhone('+86 138 0013 8000')).toBe('+86 ••• ••00');
    expect(maskPhone('123')).toBe('•••');
  });

  it('shows a claimable card for a pooled lead with the contact masked', () => {
    const view = presentLeadCard({ lead, owner: null, returnedFrom: null }, team);
    expect(view.title).toBe('New lead L-12: Zhang Wei');
    expect(view.claim).toEqual({ actionId: 'lead.claim', value: '12', label: 'Claim' });
    expect(JSON.stringify(view)).not.toContain('wei@acme.example');
    expect(view.fields.map((f) => f.label)).toEqual(['Company', 'Region', 'Source', 'Contact']);
  });

  it('shows the owner and no button once claimed, and who lost it after a reclaim', () => {
    const owned = presentLeadCard(
      {
        lead: { ...lead, status: 'owned', ownerId: 'm1', followUpDueAt: new Date('2026-03-02T02:00:00Z') },
        owner: member,
        returnedFrom: null,
      },
      team,
    );
    expect(owned.claim).toBeNull();
    expect(owned.status).toContain('Claimed by Ana');
    expect(owned.status).toContain('10:00');
    const returned = presentLeadCard({ lead, owner: null, returnedFrom: member }, { ...team, locale: 'zh-CN' });
    expect(returned.status).toContain('Ana 未在期限内跟进');
    expect(returned.claim?.label).toBe('领取');
  });

  it('turns domain errors into specific sentences and unknown errors into an apology', () => {
    expect(presentError(new DomainError('claim.holding_cap', { held: 30, cap: 30 }), 'en').text).toContain('30/30');
    expect(presentError(new DomainError('lead.already_claimed', { owner: 'Ana', yours: 1 }), 'en').text).toBe(
      'You already own this lead.',
    );
    expect(presentError(new DomainError('follow_up.not_owner', { lead: 3 }), 'en').text).toContain('L-3');
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
      presentLeadCard({ lead: long, owner: null, returnedFrom: null }, team),
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
      presentLeadCard({ lead: { ...lead, company: '<!channel> & Co' }, owner: null, returnedFrom: null }, team),
    );
    expect(JSON.stringify(blocks)).toContain('&lt;!channel&gt; &amp; Co');
  });
});
