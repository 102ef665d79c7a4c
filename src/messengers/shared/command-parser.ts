import { FOLLOW_UP_METHODS, type FollowUpMethod, parseLeadRef } from '../../domain/leads/lead.js';
import type { MyLeadsFilter } from '../../domain/leads/list-my-leads.js';
import { isSafeText } from '../../domain/shared/text.js';
import type { MessageKey, MessageParams } from '../../i18n/catalog.js';

export const MAX_NOTE_LENGTH = 2000;

export type LeadCommand =
  | { kind: 'help' }
  | { kind: 'mine'; only?: MyLeadsFilter }
  | { kind: 'new' }
  | { kind: 'show'; leadId: number }
  | { kind: 'log'; leadId: number; method: FollowUpMethod; note: string; next?: string }
  | { kind: 'invalid'; problem: MessageKey; params: MessageParams };

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
    case 'log':
    case '跟进':
      return parseLog(rest);
    case 'show':
    case '查看':
      return parseShow(rest);
    default:
      return { kind: 'invalid', problem: 'cmd.unknown', params: { word: verb.slice(0, 50) } };
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

function parseShow(words: string[]): LeadCommand {
  if (words.length !== 1) return { kind: 'invalid', problem: 'cmd.show.missing', params: {} };
  const leadId = parseLeadRef(words[0] as string);
  if (leadId === null)
    return { kind: 'invalid', problem: 'cmd.log.bad_lead', params: { text: (words[0] as string).slice(0, 50) } };
  return { kind: 'show', leadId };
}

function parseLog(words: string[]): LeadCommand {
  const [leadText, methodText, ...noteWords] = words;
  if (!leadText || !methodText || noteWords.length === 0)
    return { kind: 'invalid', problem: 'cmd.log.missing', params: {} };
  const leadId = parseLeadRef(leadText);
  if (leadId === null) return { kind: 'invalid', problem: 'cmd.log.bad_lead', params: { text: leadText.slice(0, 50) } };
  const method = parseMethod(methodText);
  if (!method)
    return {
      kind: 'invalid',
      problem: 'cmd.log.bad_method',
      params: { text: methodText.slice(0, 50), methods: FOLLOW_UP_METHODS.join(', ') },
    };
  const { note, next } = splitNext(noteWords.join(' '));
  if (note === '') return { kind: 'invalid', problem: 'cmd.log.missing', params: {} };
  if (note.length > MAX_NOTE_LENGTH) {
    return { kind: 'invalid', problem: 'cmd.log.note_too_long', params: { length: note.length, max: MAX_NOTE_LENGTH } };
  }
  return next === undefined ? { kind: 'log', leadId, method, note } : { kind: 'log', leadId, method, note, next };
}

/** "Called the CFO next: tomorrow 10am" → the note and "tomorrow 10am"; the marker may be "下次:". */
function splitNext(text: string): { note: string; next?: string } {
  const marker = /(?:(?:^|\s)next|下次)\s*[:：]\s*/gi;
  const last = [...text.matchAll(marker)].at(-1);
  if (last?.index === undefined) return { note: text };
  return { note: text.slice(0, last.index).trim(), next: text.slice(last.index + last[0].length).trim() };
}
