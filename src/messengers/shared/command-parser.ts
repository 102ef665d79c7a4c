import { parse as parseYaml } from 'yaml';
import type { LeadName } from '../../domain/leads/find-leads.js';
import type { Locale } from '../../domain/leads/lead.js';
import {
  FOLLOW_UP_METHODS,
  FOLLOW_UP_OUTCOMES,
  type FollowUpMethod,
  type FollowUpOutcome,
  parseLeadRef,
} from '../../domain/leads/lead.js';
import type { OpenStage } from '../../domain/leads/lifecycle.js';
import type { MyLeadsFilter } from '../../domain/leads/list-my-leads.js';
import type { PolicyChange } from '../../domain/policy/admin-policy.js';
import { isPeriodWord } from '../../domain/reports/period.js';
import { isSafeText } from '../../domain/shared/text.js';
import type { MessageKey, MessageParams } from '../../i18n/catalog.js';

export const MAX_NOTE_LENGTH = 2000;

export type LeadCommand =
  | { kind: 'help' }
  | { kind: 'mine'; only?: MyLeadsFilter }
  | { kind: 'new' }
  | { kind: 'find'; text: string }
  | { kind: 'show'; lead: LeadName }
  | {
      kind: 'log';
      lead: LeadName;
      method: FollowUpMethod;
      note: string;
      next?: string;
      outcome?: FollowUpOutcome;
      nextStep?: string;
    }
  | { kind: 'stage'; lead: LeadName; stage: OpenStage; reason: string }
  | { kind: 'convert'; lead: LeadName; deal: string }
  | { kind: 'close'; lead: LeadName; reason: string }
  | { kind: 'release'; lead: LeadName; reason: string }
  | { kind: 'assign'; lead: LeadName; to: TypedAssignee }
  | { kind: 'reopen'; lead: LeadName; reason: string }
  | { kind: 'funnel'; team?: string; period: string }
  | { kind: 'export'; team?: string; period: string }
  | { kind: 'extend'; lead: LeadName; reason: string }
  | { kind: 'answer_extension'; lead: LeadName; approve: boolean; note: string }
  /** Without `who`, the person asking; `until` is the time as typed, read in the team's time zone. */
  | { kind: 'pause'; who?: TypedAssignee; until?: string }
  | { kind: 'resume'; who?: TypedAssignee }
  | { kind: 'why'; lead: LeadName }
  | { kind: 'move'; lead: LeadName; pool: string }
  | { kind: 'outbox' }
  | { kind: 'outbox_retry'; ids: string[] | 'all' }
  | { kind: 'claimable' }
  | { kind: 'policy_history' }
  | { kind: 'policy_reload' }
  | { kind: 'policy_set'; change: PolicyChange }
  | { kind: 'policy_dry_run'; change: PolicyChange; last: number }
  | { kind: 'invalid'; problem: MessageKey; params: MessageParams };

/** Stage names people type, in both languages. */
const STAGE_WORDS: Record<string, OpenStage> = {
  new: 'new',
  新: 'new',
  新建: 'new',
  contacted: 'contacted',
  已联系: 'contacted',
  qualified: 'qualified',
  已确认: 'qualified',
  合格: 'qualified',
};

const METHOD_ALIASES: Record<string, FollowUpMethod> = {
  phone: 'call',
  mail: 'email',
  meet: 'meeting',
  msg: 'message',
};

function parseMethod(word: string): FollowUpMethod | null {
  const lower = word.toLowerCase();
  if ((FOLLOW_UP_METHODS as readonly string[]).includes(lower)) return lower as FollowUpMethod;
  return METHOD_ALIASES[lower] ?? null;
}

/** Parses the text after `/lead` (the same words work as a text command to the Lark bot). */
/**
 * The language a command's own word says to answer in: a Chinese word (`帮助`, `我的`, `漏斗`) is a
 * clear signal. An English word is not: it is the syntax every help text and Slack's usage hint
 * teach, in both languages, so the person's own language applies.
 */
export function languageOfCommand(text: string): Locale | null {
  const verb =
    text
      .trim()
      .replace(/^\/lead\b\s*/i, '')
      .split(/\s+/)[0] ?? '';
  return /\p{Script=Han}/u.test(verb) ? 'zh-CN' : null;
}

export function parseLeadCommand(text: string): LeadCommand {
  if (!isSafeText(text)) return { kind: 'invalid', problem: 'cmd.bad_characters', params: {} };
  const trimmed = text.trim();
  const [verb = '', ...rest] = trimmed.split(/\s+/);
  switch (verb.toLowerCase()) {
    case '':
    case 'help':
    case '帮助':
      return { kind: 'help' };
    case 'mine':
    case 'my':
    case '我的':
      return parseMine(rest);
    case 'new':
    case 'add':
    case '新线索':
      return { kind: 'new' };
    case 'open':
    case 'pool':
    case '可领取':
    case '公海':
      return { kind: 'claimable' };
    case 'log':
    case '跟进':
      return parseLog(rest);
    case 'show':
    case '查看':
      return parseShow(rest);
    case 'find':
    case 'search':
    case '查找':
    case '搜索':
      return rest.length > 0 ? { kind: 'find', text: rest.join(' ') } : usage('cmd.find.missing');
    case 'stage':
    case '阶段':
      return parseStage(rest);
    case 'convert':
    case 'won':
    case '转化':
    case '成交':
      return withLead(rest, 'cmd.convert.missing', (lead, words) => ({ kind: 'convert', lead, deal: words.join(' ') }));
    case 'lost':
    case 'close':
    case 'invalid':
    case '丢单':
    case '关闭':
    case '无效':
      return withReason(rest, 'cmd.close.missing', (lead, reason) => ({ kind: 'close', lead, reason }));
    case 'release':
    case '释放':
      return withReason(rest, 'cmd.release.missing', (lead, reason) => ({ kind: 'release', lead, reason }));
    case 'assign':
    case '分配':
      return withReason(rest, 'cmd.assign.missing', (lead, who) => ({ kind: 'assign', lead, to: readAssignee(who) }));
    case 'funnel':
    case 'report':
    case '漏斗':
    case '报表':
      return parseReport('funnel', rest);
    case 'export':
    case '导出':
      return parseReport('export', rest);
    case 'why':
    case '为什么':
    case '原因':
      return rest.length === 1
        ? withLead(rest, 'why.missing', (lead) => ({ kind: 'why', lead }))
        : usage('why.missing');
    case 'move':
    case '移池':
      return withReason(rest, 'cmd.move.missing', (lead, pool) => ({ kind: 'move', lead, pool }));
    case 'pause':
    case '暂停':
      return parsePause(rest);
    case 'resume':
    case '恢复':
      return rest.length > 0 ? { kind: 'resume', who: readAssignee(rest.join(' ')) } : { kind: 'resume' };
    case 'extend':
    case '延期':
      return withReason(rest, 'cmd.extend.missing', (lead, reason) => ({ kind: 'extend', lead, reason }));
    case 'approve':
    case '批准':
      return withLead(rest, 'cmd.answer.missing', (lead) => ({
        kind: 'answer_extension',
        lead,
        approve: true,
        note: '',
      }));
    case 'deny':
    case '拒绝':
      return withLead(rest, 'cmd.answer.missing', (lead, words) => ({
        kind: 'answer_extension',
        lead,
        approve: false,
        note: words.join(' ').slice(0, MAX_NOTE_LENGTH),
      }));
    case 'admin':
    case '管理':
      return parseAdmin(rest);
    case 'reopen':
    case '重新打开':
    case '重开':
      return withLead(rest, 'cmd.reopen.missing', (lead, words) => ({ kind: 'reopen', lead, reason: words.join(' ') }));
    default:
      return { kind: 'invalid', problem: 'cmd.unknown', params: { word: verb.slice(0, 50) } };
  }
}

/**
 * `admin outbox [retry all|<ids>]`, `admin rules`, `admin reload`, `admin set <team> <path> <value>`,
 * `admin dryrun [last <n>] <team> <path> <value>`.
 */
function parseAdmin(words: string[]): LeadCommand {
  const [what = '', ...rest] = words;
  switch (what.toLowerCase()) {
    case 'outbox':
    case '发件箱':
      return parseOutbox(rest.map((w) => w.toLowerCase()));
    case 'rules':
    case 'policy':
    case 'history':
    case '规则':
      return { kind: 'policy_history' };
    case 'reload':
    case '重载':
      return { kind: 'policy_reload' };
    case 'set':
    case '设置':
      return withPolicyChange(rest, (change) => ({ kind: 'policy_set', change }));
    case 'dryrun':
    case 'dry-run':
    case '试算': {
      const [first, count, ...more] = rest;
      const counted = first?.toLowerCase() === 'last' || first === '最近';
      const last = counted ? Number(count) : DRY_RUN_DEFAULT;
      if (!Number.isInteger(last) || last < 1 || last > DRY_RUN_MAX) return usage('cmd.admin.missing');
      return withPolicyChange(counted ? more : rest, (change) => ({ kind: 'policy_dry_run', change, last }));
    }
    default:
      return usage('cmd.admin.missing');
  }
}

const DRY_RUN_DEFAULT = 50;
const DRY_RUN_MAX = 1000;

function parseOutbox([action, ...ids]: string[]): LeadCommand {
  if (action === undefined) return { kind: 'outbox' };
  if (action !== 'retry' && action !== '重发') return usage('cmd.admin.missing');
  if (ids.length === 1 && (ids[0] === 'all' || ids[0] === '全部')) return { kind: 'outbox_retry', ids: 'all' };
  const numbers = ids.map((id) => id.replace(/^#/, ''));
  if (numbers.length === 0 || numbers.length > 100 || !numbers.every((n) => /^\d{1,18}$/.test(n)))
    return usage('cmd.admin.missing');
  return { kind: 'outbox_retry', ids: numbers };
}

/** `<team> <path> <value>`: a dotted path inside the team, and a YAML value (`~` removes the setting). */
function withPolicyChange(words: string[], make: (change: PolicyChange) => LeadCommand): LeadCommand {
  const [team, dotted, ...valueWords] = words;
  if (!team || !dotted || valueWords.length === 0) return usage('cmd.admin.missing');
  const path = dotted.split('.');
  if (path.length > 8 || !path.every((step) => /^[\p{L}\p{N}_+-]{1,60}$/u.test(step)))
    return usage('cmd.admin.bad_path');
  const text = valueWords.join(' ');
  if (text.length > 4000) return usage('cmd.admin.bad_value', { reason: 'over 4,000 characters' });
  try {
    return make({ team, path, value: parseYaml(text, { maxAliasCount: 0 }) });
  } catch (error) {
    return usage('cmd.admin.bad_value', {
      reason:
        String((error as Error).message)
          .split('\n')[0]
          ?.slice(0, 120) ?? '',
    });
  }
}

const MINE_FILTERS: Record<string, MyLeadsFilter> = {
  overdue: 'overdue',
  逾期: 'overdue',
  today: 'today',
  今天: 'today',
};

function parseMine(words: string[]): LeadCommand {
  if (words.length === 0) return { kind: 'mine' };
  const only = words.length === 1 ? MINE_FILTERS[(words[0] as string).toLowerCase()] : undefined;
  if (only) return { kind: 'mine', only };
  return { kind: 'invalid', problem: 'cmd.mine.bad_filter', params: { text: words.join(' ').slice(0, 50) } };
}

const usage = (problem: MessageKey, params: MessageParams = {}): LeadCommand => ({ kind: 'invalid', problem, params });

/**
 * A lead as typed: a number ("42", "L-42", "#42") or one word to search for ("Globex"), which must
 * match exactly one lead the person may see. A lone mention or link is never a lead's name.
 */
export function readLeadName(word: string): LeadName | null {
  const id = parseLeadRef(word);
  if (id !== null) return { id };
  if (/^\d+$/.test(word) || /^[<@#]/.test(word) || [...word].length < 2) return null;
  return { search: word.slice(0, 100) };
}

function withLead(
  words: string[],
  missing: MessageKey,
  build: (lead: LeadName, rest: string[]) => LeadCommand,
): LeadCommand {
  const [leadText, ...rest] = words;
  if (!leadText) return usage(missing);
  const lead = readLeadName(leadText);
  return lead ? build(lead, rest) : usage('cmd.log.bad_lead', { text: leadText.slice(0, 50) });
}

/** Commands of the form `<verb> <lead> <text…>`, where the text is required. */
function withReason(words: string[], missing: MessageKey, build: (lead: LeadName, text: string) => LeadCommand) {
  return withLead(words, missing, (lead, rest) => {
    const text = rest.join(' ');
    if (text === '') return usage(missing);
    if (text.length > MAX_NOTE_LENGTH)
      return usage('cmd.log.note_too_long', { length: text.length, max: MAX_NOTE_LENGTH });
    return build(lead, text);
  });
}

/** `funnel|export [team] [period]`: the words after the verb are a period, or a team followed by one. */
function parseReport(kind: 'funnel' | 'export', words: string[]): LeadCommand {
  const all = words.join(' ');
  if (all.length > 100) return usage('cmd.funnel.missing');
  if (all === '' || isPeriodWord(all)) return { kind, period: all };
  const [team = '', ...period] = words;
  return { kind, team: team.slice(0, 64), period: period.join(' ') };
}

function parseStage(words: string[]): LeadCommand {
  return withLead(words, 'cmd.stage.missing', (lead, [stageText, ...reason]) => {
    if (!stageText) return usage('cmd.stage.missing');
    const stage = STAGE_WORDS[stageText.toLowerCase()];
    if (!stage) return usage('cmd.stage.bad_stage', { text: stageText.slice(0, 50) });
    const text = reason.join(' ');
    if (text.length > MAX_NOTE_LENGTH)
      return usage('cmd.log.note_too_long', { length: text.length, max: MAX_NOTE_LENGTH });
    return { kind: 'stage', lead, stage, reason: text };
  });
}

/** Who a lead is assigned to, as typed: a mention's user id (the adapter knows whose) or a name. */
export type TypedAssignee = { mention: string } | { name: string };

/** "<@U123|ana>" (mention markup) or a name. */
function readAssignee(text: string): TypedAssignee {
  const mention = /^<@([A-Za-z0-9_]+)(?:\|[^>]*)?>$/.exec(text.trim());
  if (mention) return { mention: mention[1] as string };
  return { name: text.trim().replace(/^@/, '').slice(0, 100) };
}

const UNTIL_WORDS = new Set(['until', 'till', '到', '至', '直到']);

/** `pause [who] [until <when>]`: who comes before the word "until", the time after it. */
function parsePause(words: string[]): LeadCommand {
  const at = words.findIndex((w) => UNTIL_WORDS.has(w.toLowerCase()));
  const who = (at < 0 ? words : words.slice(0, at)).join(' ');
  const until = at < 0 ? '' : words.slice(at + 1).join(' ');
  if (at >= 0 && !until) return usage('cmd.pause.missing');
  return {
    kind: 'pause',
    ...(who ? { who: readAssignee(who) } : {}),
    ...(until ? { until: until.slice(0, 100) } : {}),
  };
}

function parseShow(words: string[]): LeadCommand {
  if (words.length !== 1) return usage('cmd.show.missing');
  return withLead(words, 'cmd.show.missing', (lead) => ({ kind: 'show', lead }));
}

function parseLog(words: string[]): LeadCommand {
  const [leadText, methodText, ...noteWords] = words;
  if (!leadText || !methodText || noteWords.length === 0)
    return { kind: 'invalid', problem: 'cmd.log.missing', params: {} };
  const lead = readLeadName(leadText);
  if (lead === null) return { kind: 'invalid', problem: 'cmd.log.bad_lead', params: { text: leadText.slice(0, 50) } };
  const method = parseMethod(methodText);
  if (!method)
    return {
      kind: 'invalid',
      problem: 'cmd.log.bad_method',
      params: { text: methodText.slice(0, 50), methods: FOLLOW_UP_METHODS.join(', ') },
    };
  const { note, next, outcome: outcomeText, step } = splitMarkers(noteWords.join(' '));
  if (note === '') return { kind: 'invalid', problem: 'cmd.log.missing', params: {} };
  const long = [note, step ?? ''].find((text) => text.length > MAX_NOTE_LENGTH);
  if (long !== undefined) return usage('cmd.log.note_too_long', { length: long.length, max: MAX_NOTE_LENGTH });
  let outcome: FollowUpOutcome | undefined;
  if (outcomeText !== undefined) {
    outcome = OUTCOME_WORDS[outcomeText.toLowerCase()];
    if (!outcome)
      return usage('cmd.log.bad_outcome', { text: outcomeText.slice(0, 50), outcomes: FOLLOW_UP_OUTCOMES.join(', ') });
  }
  return {
    kind: 'log',
    lead,
    method,
    note,
    ...(next !== undefined ? { next } : {}),
    ...(outcome ? { outcome } : {}),
    ...(step ? { nextStep: step } : {}),
  };
}

const OUTCOME_WORDS: Record<string, FollowUpOutcome> = {
  ...Object.fromEntries(FOLLOW_UP_OUTCOMES.map((o) => [o, o])),
  'no answer': 'no_answer',
  'not interested': 'not_interested',
  'meeting set': 'meeting_set',
  已接通: 'reached',
  接通: 'reached',
  未接通: 'no_answer',
  未接: 'no_answer',
  有意向: 'interested',
  无意向: 'not_interested',
  已约见: 'meeting_set',
};

type Marker = 'next' | 'outcome' | 'step';
const MARKERS: Record<Marker, RegExp> = {
  next: /(?:(?:^|\s)next|下次)\s*[:：]\s*/gi,
  outcome: /(?:(?:^|\s)outcome|结果)\s*[:：]\s*/gi,
  step: /(?:(?:^|\s)(?:next step|step)|下一步)\s*[:：]\s*/gi,
};

/**
 * "Called the CFO outcome: interested step: send quote next: tomorrow 10am" → the note and each
 * marked part; markers may be in Chinese ("结果：", "下一步：", "下次："). Only the last of each kind
 * counts, so a note may itself mention "next:".
 */
function splitMarkers(text: string): { note: string } & Partial<Record<Marker, string>> {
  const found = (Object.keys(MARKERS) as Marker[]).flatMap((kind) => {
    const last = [...text.matchAll(MARKERS[kind])].at(-1);
    return last?.index === undefined ? [] : [{ kind, start: last.index, end: last.index + last[0].length }];
  });
  // "next step:" holds "step:"; the longer marker wins over any it contains.
  const marks = found
    .filter((m) => !found.some((o) => o !== m && o.start <= m.start && o.end >= m.end))
    .sort((a, b) => a.start - b.start);
  const parts: { note: string } & Partial<Record<Marker, string>> = {
    note: text.slice(0, marks[0]?.start ?? text.length).trim(),
  };
  marks.forEach((m, i) => {
    parts[m.kind] = text.slice(m.end, marks[i + 1]?.start ?? text.length).trim();
  });
  return parts;
}
