import type { Converted } from '../../../domain/conversions/convert-lead.js';
import type { DuplicateAnswer } from '../../../domain/duplicates/answer-duplicate.js';
import type { FollowUpLogged } from '../../../domain/follow-ups/log-follow-up.js';
import type { IntakeOutcome } from '../../../domain/intake/intake-leads.js';
import { DEFAULT_CLOSE_REASONS } from '../../../domain/leads/close-reasons.js';
import {
  type CloseReason,
  FOLLOW_UP_METHODS,
  type FollowUpMethod,
  formatLeadRef,
  type Lead,
  type Locale,
  type Priority,
} from '../../../domain/leads/lead.js';
import type { LeadWithOwner } from '../../../domain/leads/lead-store.js';
import type { MyLeadsFilter } from '../../../domain/leads/list-my-leads.js';
import type { AvailabilityChange } from '../../../domain/members/availability.js';
import { hasMessage, type MessageKey, type MessageParams, t } from '../../../i18n/catalog.js';

/**
 * Replies to what a person did (a command, a form, a button), as neutral text for any messenger.
 * Each takes what it shows; none reads the database.
 */

/** The closing reasons a team offers, named in the reader's language. */
export function reasonNames(reasons: readonly CloseReason[], locale: Locale): string {
  return reasons.map((r) => closeReasonName(r, locale)).join(', ');
}

export function closeReasonName(reason: CloseReason | string, locale: Locale): string {
  const key = typeof reason === 'string' ? reason : reason.key;
  const catalogKey = `close_reason.${key}`;
  if (hasMessage(catalogKey)) return t(locale, catalogKey);
  return typeof reason === 'string' ? key : (reason.labels[0] ?? key);
}

/** Help for the person's role: managers and admins also get the commands only they may use. */
/** Where the help is read: Slack shows `code` and is typed as `/lead …`; Lark shows text as typed, sent to the bot. */
export type HelpMedium = 'slack' | 'lark' | 'web';

const HOW_TO_SEND = { slack: 'help.how_slack', lark: 'help.how_lark', web: 'help.how_web' } as const;

/**
 * The help, worded for the messenger it is read in: how to send a command there, and its commands
 * as that messenger shows them (Slack's `code`, in Lark the bare words in quotes, without `/lead`).
 */
export function presentUsage(locale: Locale, manager = false, medium: HelpMedium = 'slack'): string {
  const usage = t(locale, 'cmd.usage', {
    methods: FOLLOW_UP_METHODS.join(', '),
    reasons: reasonNames(DEFAULT_CLOSE_REASONS, locale),
  });
  const text = [t(locale, HOW_TO_SEND[medium]), usage];
  if (manager) text.push('', t(locale, 'cmd.usage_manager'));
  return medium === 'lark' ? asLarkCommands(text.join('\n'), locale) : text.join('\n');
}

/** `/lead mine` as a Lark user types it to the bot: the words alone, quoted, since Lark shows no code. */
function asLarkCommands(text: string, locale: Locale): string {
  const [open, close] = locale === 'zh-CN' ? ['「', '」'] : ['“', '”'];
  return text.replace(/`(?:\/lead )?([^`]*)`/g, `${open}$1${close}`);
}

/** A usage problem: what was wrong, then the help. */
export const presentInvalidCommand = (
  locale: Locale,
  problem: MessageKey,
  params: MessageParams,
  medium: HelpMedium = 'slack',
) =>
  `${t(locale, problem, { reasons: reasonNames(DEFAULT_CLOSE_REASONS, locale), ...params })}\n\n${presentUsage(locale, false, medium)}`;

const stageName = (stage: Lead['stage'], locale: Locale) => t(locale, `stage.${stage}`);

/** `/lead find`: up to 20 leads, each with its stage and owner. */
export function presentFound(text: string, leads: readonly LeadWithOwner[], locale: Locale): string {
  const shown = text.slice(0, 40);
  if (leads.length === 0) return t(locale, 'cmd.find.empty', { text: shown });
  const lines = leads.map(({ lead, ownerName }) =>
    t(locale, 'cmd.find.line', {
      ref: formatLeadRef(lead.id),
      name: lead.name,
      company: lead.company ? ` (${lead.company})` : '',
      stage: stageName(lead.stage, locale),
      owner: ownerName ? t(locale, 'cmd.find.owner', { owner: ownerName }) : '',
    }),
  );
  return [t(locale, 'cmd.find.header', { text: shown, count: leads.length }), ...lines].join('\n');
}

/** The answer to a stage change, a close, a release, an assignment or a reopen. */
export function presentWorked(
  locale: Locale,
  kind: 'stage' | 'close' | 'release' | 'assign' | 'reopen',
  worked: { lead: Lead; assigneeName?: string },
  timeZone?: string,
): string {
  const { lead } = worked;
  const ref = formatLeadRef(lead.id);
  switch (kind) {
    case 'stage':
      return t(locale, 'cmd.stage.done', { ref, stage: stageName(lead.stage, locale) });
    case 'close':
      return t(locale, 'cmd.close.done', {
        ref,
        stage: stageName(lead.stage, locale),
        reason: closeReasonName(lead.closeReason ?? '', locale),
      });
    case 'release':
      return t(locale, 'cmd.release.done', { ref });
    case 'assign':
      return t(
        locale,
        'cmd.assign.done',
        { ref, owner: worked.assigneeName ?? '?', due: lead.followUpDueAt ?? '' },
        timeZone,
      );
    case 'reopen':
      return t(locale, 'cmd.reopen.done', { ref });
  }
}

/** The answer to a conversion: the customer it became and the deal. */
export function presentConverted(locale: Locale, lead: Lead, converted: Converted): string {
  const { value, currency } = converted.deal;
  const deal = value === null ? '' : t(locale, 'cmd.convert.deal', { value: formatMoney(value, currency, locale) });
  return t(locale, 'cmd.convert.done', { ref: formatLeadRef(lead.id), customer: converted.customerName, deal });
}

function formatMoney(value: number, currency: string | null, locale: Locale): string {
  if (!currency) return value.toLocaleString(locale);
  return new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
}

/** `/lead mine [overdue|today]`: the first 50 open leads, soonest deadline first, in the reader's zone. */
export function presentMyLeads(
  leads: readonly Lead[],
  { locale, timeZone }: { locale: Locale; timeZone: string },
  only?: MyLeadsFilter,
): string {
  if (leads.length === 0) return t(locale, only ? `cmd.mine.empty_${only}` : 'cmd.mine.empty');
  const lines = leads.slice(0, 50).map((lead) =>
    t(
      locale,
      'cmd.mine.line',
      {
        ref: formatLeadRef(lead.id),
        name: lead.name,
        company: lead.company ? ` (${lead.company})` : '',
        due: lead.followUpDueAt ?? '',
      },
      timeZone,
    ),
  );
  const header = t(locale, only ? `cmd.mine.header_${only}` : 'cmd.mine.header', { count: leads.length });
  return [header, ...lines].join('\n');
}

/** The answer to a logged follow-up; says so when the promised next contact is later than the SLA allows. */
export function presentFollowUpLogged(
  locale: Locale,
  method: FollowUpMethod,
  logged: FollowUpLogged,
  timeZone: string | undefined,
): string {
  const params = { method, ref: formatLeadRef(logged.lead.id), due: logged.dueAt };
  const later = logged.nextContactAt && logged.nextContactAt.getTime() > logged.dueAt.getTime();
  return later
    ? t(locale, 'cmd.log.done_next_later', { ...params, dueNext: logged.nextContactAt as Date }, timeZone)
    : t(locale, 'cmd.log.done', params, timeZone);
}

export const presentDuplicateAnswered = (locale: Locale, answer: DuplicateAnswer, lead: Lead, existing: Lead) =>
  t(locale, `dup.answered.${answer}`, { ref: formatLeadRef(lead.id), existing: formatLeadRef(existing.id) });

/** What happened to a lead added from a form. */
export function presentIntakeResult(
  locale: Locale,
  outcome: IntakeOutcome,
  facts: { teamName: string; score: number; priority: Priority; ownerName: string | null },
): string {
  switch (outcome.kind) {
    case 'created':
      return t(locale, 'modal.result.created', {
        ref: formatLeadRef(outcome.leadId),
        team: facts.teamName,
        score: facts.score,
        priority: t(locale, `priority.${facts.priority}`),
      });
    case 'merged':
      return t(locale, 'modal.result.merged', {
        ref: formatLeadRef(outcome.leadId),
        existing: formatLeadRef(outcome.duplicateOf),
      });
    case 'awaiting_owner':
      return t(locale, 'modal.result.awaiting_owner', {
        ref: formatLeadRef(outcome.leadId),
        existing: formatLeadRef(outcome.duplicateOf),
        owner: facts.ownerName ?? '?',
      });
    case 'duplicate':
      return t(locale, 'modal.result.duplicate', { existing: formatLeadRef(outcome.duplicateOf ?? 0) });
  }
}

/** The answer to `/lead pause` or `/lead resume`, for the person asking. */
export function presentAvailability(
  { locale, timeZone }: { locale: Locale; timeZone: string },
  kind: 'pause' | 'resume',
  changed: AvailabilityChange,
): string {
  const teams = changed.teamNames.join(', ');
  const name = changed.name;
  if (kind === 'resume')
    return changed.self ? t(locale, 'resume.done_self') : t(locale, 'resume.done_other', { name, teams });
  const until = changed.until;
  if (changed.self)
    return until ? t(locale, 'pause.done_self', { until }, timeZone) : t(locale, 'pause.done_self_open');
  return until
    ? t(locale, 'pause.done_other', { name, teams, until }, timeZone)
    : t(locale, 'pause.done_other_open', { name, teams });
}
