import { describe, expect, it } from 'vitest';
import type { ResolvedReport } from '../../src/domain/reports/funnel.js';
import { parsePeriod } from '../../src/domain/reports/period.js';
import { t } from '../../src/i18n/catalog.js';
import { languageOfCommand } from '../../src/messengers/shared/command-parser.js';
import { exportFileName } from '../../src/messengers/shared/period-export-file.js';
import { presentUsage } from '../../src/messengers/shared/presenters/command-reply.presenter.js';
import { sourceLabel } from '../../src/messengers/shared/presenters/source-label.js';
import { testTeam } from '../support/fixtures.js';

describe('plurals through the catalog', () => {
  it('picks the form by the number and the language', () => {
    expect(t('en', 'burst.title', { count: 1 })).toBe('1 new lead');
    expect(t('en', 'burst.title', { count: 6 })).toBe('6 new leads');
    expect(t('en', 'burst.title_part', { count: 1, part: 1, parts: 2 })).toBe('1 new lead (1 of 2)');
    expect(t('en', 'extension.requested', { lead: 'L-1', count: 1 })).toContain('1 manager will answer');
    expect(t('en', 'extension.requested', { lead: 'L-1', count: 2 })).toContain('2 managers will answer');
    expect(t('en', 'funnel.channel_line', { source: 'Web', leads: 1, rate: '0%', cost: '', verdict: 'keep' })).toBe(
      '• Web: 1 lead, 0% converted → keep',
    );
    expect(t('zh-CN', 'burst.title', { count: 1 })).not.toContain('{');
    expect(t('zh-CN', 'burst.title', { count: 6 })).toContain('6');
  });
});

describe('a lead’s source on its card', () => {
  it('is the source’s own name, nothing added', () => {
    expect(sourceLabel('website', null, 'en')).toBe('Website');
    expect(sourceLabel('website', null, 'zh-CN')).toBe('官网');
    expect(sourceLabel('wechat_group', 'WeChat group', 'en')).toBe('WeChat group');
  });
});

describe('an export’s file name', () => {
  it('carries the team’s local date, not UTC’s', () => {
    // 17:00 UTC on the 6th is 01:00 on the 7th in Shanghai.
    const now = new Date('2026-12-06T17:00:00Z');
    const timeZone = 'Asia/Shanghai';
    const period = parsePeriod('today', { now, timeZone });
    if (!period.ok) throw new Error('today must parse');
    const report = { teams: [testTeam()], rep: null, period: period.period, timeZone } as unknown as ResolvedReport;
    expect(exportFileName(report)).toBe('leads-alpha-today-2026-12-07.csv');
    const week = parsePeriod('this week', { now, timeZone });
    if (!week.ok) throw new Error('this week must parse');
    expect(exportFileName({ ...report, period: week.period })).toBe('leads-alpha-this_week-2026-12-07_2026-12-13.csv');
  });
});

describe('the language of a command word', () => {
  it('is Chinese for a Chinese word, and the person’s own for an English one', () => {
    for (const text of ['帮助', '我的 逾期', '/lead 漏斗 上周', '  可领取 '])
      expect(languageOfCommand(text)).toBe('zh-CN');
    for (const text of ['help', 'mine overdue', '/lead funnel', 'L-12', '']) expect(languageOfCommand(text)).toBeNull();
  });
});

describe('the help, worded for each messenger', () => {
  it('shows Slack its /lead commands as code, and Lark the words to send the bot, quoted, with no code marks', () => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const slack = presentUsage(locale, true, 'slack');
      const lark = presentUsage(locale, true, 'lark');
      expect(slack).toContain('`/lead mine');
      expect(slack).toContain(t(locale, 'help.how_slack'));
      expect(lark).not.toContain('`');
      expect(lark).not.toContain('/lead ');
      expect(lark).toContain(locale === 'zh-CN' ? '「mine [逾期|今天]」' : '“mine [overdue|today]”');
      expect(lark).toContain(locale === 'zh-CN' ? '@Leadpool' : 'mention @Leadpool');
    }
  });
});
