import { listClaimable } from '../../domain/claims/claimable.js';
import { convertLead } from '../../domain/conversions/convert-lead.js';
import { explainLead } from '../../domain/distribution/explain-lead.js';
import { moveToPool } from '../../domain/distribution/move-to-pool.js';
import { logFollowUp } from '../../domain/follow-ups/log-follow-up.js';
import { findLeads, type LeadName, resolveLeadName } from '../../domain/leads/find-leads.js';
import { formatLeadRef, type Locale } from '../../domain/leads/lead.js';
import {
  type AssigneeRef,
  assignLead,
  changeStage,
  closeLead,
  releaseLead,
  reopenLead,
  type WorkLeadTarget,
} from '../../domain/leads/work-lead.js';
import { pauseMember, resumeMember } from '../../domain/members/availability.js';
import type { Identity } from '../../domain/members/identity.js';
import { listDeadLetters, retryDeadLetters } from '../../domain/notifications/dead-letters.js';
import { changePolicy, dryRunPolicy, policyHistory, reloadPolicy } from '../../domain/policy/admin-policy.js';
import type { ReportRequest } from '../../domain/reports/funnel.js';
import { answerExtension, requestExtension } from '../../domain/sla/extensions.js';
import { catalogs, hasMessage, t } from '../../i18n/catalog.js';
import type { LeadCommand, TypedAssignee } from './command-parser.js';
import { funnelAnswer } from './funnel-answer.js';
import { outcomeOf } from './interaction.js';
import type { MessengerDeps } from './messenger-deps.js';
import { myLeads } from './my-leads.js';
import { presentClaimable } from './presenters/claimable.presenter.js';
import {
  type HelpMedium,
  presentAvailability,
  presentConverted,
  presentFollowUpLogged,
  presentFound,
  presentInvalidCommand,
  presentMyLeads,
  presentUsage,
  presentWorked,
} from './presenters/command-reply.presenter.js';
import { presentDeadLetters } from './presenters/dead-letters.presenter.js';
import { presentExtensionAnswered } from './presenters/direct-message.presenter.js';
import { presentDryRun, presentPolicyChanged, presentPolicyHistory } from './presenters/policy.presenter.js';
import { presentExplanation } from './presenters/why.presenter.js';
import { presentShown } from './show-lead.js';

/** The commands answered with text, the same way in every messenger (a form and a file are not). */
export type TextCommand = Exclude<LeadCommand, { kind: 'new' | 'export' }>;

export interface CommandContext {
  actor: Identity;
  locale: Locale;
  /** The asker's zone: every time in an answer is written in it. */
  timeZone: string;
  /** The messenger's id for this request when it may redeliver it: a repeat changes nothing. */
  requestId?: string;
  /** The team whose channel or group chat the command was typed in. */
  channelTeam?: string;
  /** Which messenger the answer is read in: the help is worded for it. */
  medium?: HelpMedium;
  /** Whose identity a mention in the command names, on this messenger. */
  mentioned?: (userId: string) => Identity;
}

/** What `/lead funnel [team] [period]` asks for, as the report reads it. */
export function funnelInput(
  cmd: Extract<LeadCommand, { kind: 'funnel' }>,
  actor: Identity,
  channelTeam: string | undefined,
): ReportRequest {
  return {
    actor,
    period: cmd.period,
    ...(cmd.team ? { team: cmd.team } : {}),
    ...(channelTeam ? { channelTeam } : {}),
  };
}

/** Runs one parsed command for the person asking and returns the answer to show them. */
export async function answerTextCommand(deps: MessengerDeps, cmd: TextCommand, ctx: CommandContext): Promise<string> {
  const started = performance.now();
  const observed = (outcome: string) =>
    deps.metrics?.handled({ kind: 'command', name: cmd.kind, outcome, seconds: (performance.now() - started) / 1000 });
  try {
    const answer = await answerCommand(deps, cmd, ctx);
    observed(cmd.kind === 'invalid' ? 'invalid' : 'ok');
    return answer;
  } catch (error) {
    observed(outcomeOf(error));
    throw error;
  }
}

async function answerCommand(deps: MessengerDeps, cmd: TextCommand, ctx: CommandContext): Promise<string> {
  const { actor, locale, timeZone } = ctx;
  switch (cmd.kind) {
    case 'help':
      return presentUsage(locale, await managesAnyTeam(deps, actor), ctx.medium);
    case 'invalid':
      return presentInvalidCommand(locale, cmd.problem, cmd.params, ctx.medium);
    case 'mine':
      return presentMyLeads(await myLeads(deps, actor, cmd.only), { locale, timeZone }, cmd.only);
    case 'claimable':
      return presentClaimable(await listClaimable(deps, actor), deps.teams, locale, timeZone);
    case 'find':
      return presentFound(cmd.text, await findLeads(deps.store, actor, cmd.text), locale);
    case 'show':
      return presentShown(deps, actor, await resolveLeadName(deps.store, actor, cmd.lead), locale, timeZone);
    case 'funnel':
      return (await funnelAnswer(deps, funnelInput(cmd, actor, ctx.channelTeam), locale)).text;
    case 'extend': {
      const leadId = await resolveLeadName(deps.store, actor, cmd.lead);
      const asked = await requestExtension(deps, { leadId, actor, reason: cmd.reason });
      return t(locale, 'extension.requested', { lead: formatLeadRef(asked.lead.id), count: asked.managers });
    }
    case 'answer_extension': {
      const leadId = await resolveLeadName(deps.store, actor, cmd.lead);
      const answered = await answerExtension(deps, { leadId, actor, approve: cmd.approve, note: cmd.note });
      return presentExtensionAnswered(answered, locale, timeZone);
    }
    case 'move': {
      const moved = await moveToPool(deps, await target(deps, ctx, cmd.lead), cmd.pool);
      return t(locale, 'move.done', { ref: formatLeadRef(moved.lead.id), pool: moved.pool.name });
    }
    case 'why':
      return presentExplanation(
        await explainLead(deps, { leadId: await resolveLeadName(deps.store, actor, cmd.lead), actor }),
        locale,
        timeZone,
      );
    case 'pause':
    case 'resume': {
      const request = { actor, ...(cmd.who ? { who: assignee(cmd.who, ctx) } : {}) };
      const changed =
        cmd.kind === 'pause'
          ? await pauseMember(deps, { ...request, ...(cmd.until ? { until: cmd.until } : {}) })
          : await resumeMember(deps, request);
      return presentAvailability({ locale, timeZone }, cmd.kind, changed);
    }
    case 'outbox':
      return presentDeadLetters(await listDeadLetters(deps, actor), locale);
    case 'outbox_retry': {
      const count = await retryDeadLetters(deps, actor, cmd.ids);
      if (count > 0) deps.relayNow?.();
      return t(locale, count > 0 ? 'outbox.retried' : 'outbox.retried_none', { count });
    }
    case 'policy_history':
      return presentPolicyHistory(locale, await policyHistory(deps, actor), timeZone);
    case 'policy_reload':
      return presentPolicyChanged(locale, await reloadPolicy(deps, actor));
    case 'policy_set':
      return presentPolicyChanged(locale, await changePolicy(deps, actor, cmd.change));
    case 'policy_dry_run': {
      const dryRun = await dryRunPolicy(deps, actor, cmd.change, cmd.last);
      const teamName = dryRun.proposal.teams.find(cmd.change.team)?.name ?? cmd.change.team;
      return presentDryRun(locale, teamName, dryRun);
    }
    case 'log': {
      const leadId = await resolveLeadName(deps.store, actor, cmd.lead);
      const { method, note, next, outcome, nextStep } = cmd;
      const input = { leadId, actor, method, note, next, outcome, nextStep, requestId: ctx.requestId };
      const logged = await logFollowUp(deps, input);
      return presentFollowUpLogged(locale, method, logged, timeZone);
    }
    default:
      return answerWork(deps, cmd, ctx, await target(deps, ctx, cmd.lead));
  }
}

type WorkCommand = Extract<TextCommand, { kind: 'stage' | 'convert' | 'close' | 'release' | 'assign' | 'reopen' }>;

async function answerWork(deps: MessengerDeps, cmd: WorkCommand, ctx: CommandContext, on: WorkLeadTarget) {
  const { locale, timeZone } = ctx;
  switch (cmd.kind) {
    case 'stage':
      return presentWorked(locale, 'stage', await changeStage(deps, on, cmd.stage, cmd.reason));
    case 'close':
      return presentWorked(locale, 'close', await closeLead(deps, on, cmd.reason, reasonAliases));
    case 'release':
      return presentWorked(locale, 'release', await releaseLead(deps, on, cmd.reason));
    case 'reopen':
      return presentWorked(locale, 'reopen', await reopenLead(deps, on, cmd.reason));
    case 'assign': {
      const worked = await assignLead(deps, on, assignee(cmd.to, ctx));
      const assigneeName = worked.assignee?.displayName ?? '?';
      return presentWorked(locale, 'assign', { lead: worked.lead, assigneeName }, timeZone);
    }
    case 'convert': {
      const worked = await convertLead(deps, on, cmd.deal);
      return presentConverted(locale, worked.lead, worked.result);
    }
  }
}

async function target(deps: MessengerDeps, ctx: CommandContext, lead: LeadName): Promise<WorkLeadTarget> {
  const leadId = await resolveLeadName(deps.store, ctx.actor, lead);
  return ctx.requestId ? { leadId, actor: ctx.actor, requestId: ctx.requestId } : { leadId, actor: ctx.actor };
}

function assignee(typed: TypedAssignee, ctx: CommandContext): AssigneeRef {
  if ('name' in typed) return typed;
  return ctx.mentioned ? { identity: ctx.mentioned(typed.mention) } : { name: typed.mention };
}

/** A closing reason's names in every language of the catalog, so "没预算" and "no budget" both work. */
function reasonAliases(key: string): string[] {
  const catalogKey = `close_reason.${key}`;
  if (!hasMessage(catalogKey)) return [];
  return Object.values(catalogs).map((catalog) => catalog[catalogKey]);
}

async function managesAnyTeam(deps: MessengerDeps, actor: Identity): Promise<boolean> {
  const memberships = await deps.store.membershipsOf(actor);
  return memberships.some((m) => m.active && (m.role === 'manager' || m.role === 'admin'));
}
