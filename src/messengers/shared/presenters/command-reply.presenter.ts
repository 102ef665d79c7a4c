import type { DuplicateAnswer } from '../../../domain/duplicates/answer-duplicate.js';
import type { FollowUpLogged } from '../../../domain/follow-ups/log-follow-up.js';
import type { IntakeOutcome } from '../../../domain/intake/intake-leads.js';
import {
  FOLLOW_UP_METHODS,
  type FollowUpMethod,
  formatLeadRef,
  type Lead,
  type Locale,
  type Priority,
} from '../../../domain/leads/lead.js';
import type { TeamDirectory } from '../../../domain/leads/lead-store.js';
import type { MyLeadsFilter } from '../../../domain/leads/list-my-leads.js';
import { type MessageKey, type MessageParams, t } from '../../../i18n/catalog.js';

/**
 * Replies to what a person did (a command, a form, a button), as neutral text for any messenger.
 * Each takes what it shows; none reads the database.
 */

export const presentUsage = (locale: Locale) => t(locale, 'cmd.usage', { methods: FOLLOW_UP_METHODS.join(', ') });

export const presentInvalidCommand = (locale: Locale, problem: MessageKey, params: MessageParams) =>
  `${t(locale, problem, params)}\n\n${presentUsage(locale)}`;

/** `/lead mine [overdue|today]`: the first 50 open leads, soonest deadline first, each in its team's time zone. */
export function presentMyLeads(
  leads: readonly Lead[],
  teams: TeamDirectory,
  locale: Locale,
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
      teams.find(lead.teamId)?.timeZone,
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
