import { type Budget, formatLeadRef, type Lead, type Locale, type TeamPolicy } from '../../../domain/leads/lead.js';
import type { LeadCardData } from '../../../domain/leads/lead-read-model.js';
import { MATCH_KEY_KINDS, type MatchKeyKind } from '../../../domain/notifications/notification.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
import { presentFieldProblems } from '../../../i18n/field-problems.js';
import { ACTION_IDS } from '../action-ids.js';
import { closeReasonName } from './command-reply.presenter.js';
import { contactLine } from './contact.js';
import { sourceLabel } from './source-label.js';

/** A messenger-neutral lead card; Slack blocks and Lark cards are rendered from it. */
export interface LeadCardView {
  fallbackText: string;
  title: string;
  fields: { label: string; value: string }[];
  /** Score, priority and grade, then the rules behind the score. */
  score: { summary: string; why: string | null };
  /** Same-company leads and duplicate notes. */
  notes: string[];
  status: string;
  claim: CardButton | null;
  /** "Log follow-up", on a lead someone owns: it opens the form for whoever may log on it. */
  followUp: CardButton | null;
  /** A good lead still open: the qualified reps told first, mentioned by each messenger its own way. */
  alert: { label: string; people: NonNullable<LeadCardData['alerted']> } | null;
}

export interface CardButton {
  actionId: string;
  value: string;
  label: string;
  /** What the value names, for messengers that send named values (Lark): a lead unless said. */
  valueKind?: 'lead' | 'team';
}

/** The "Log follow-up" button of a lead, in `locale`. */
export function followUpButton(leadId: number, locale: Locale): CardButton {
  return { actionId: ACTION_IDS.openFollowUp, value: String(leadId), label: t(locale, 'follow_up_form.button') };
}

const FIELD_KEYS = [
  ['company', 'card.field.company'],
  ['title', 'card.field.title'],
  ['region', 'card.field.region'],
  ['industry', 'card.field.industry'],
  ['companySize', 'card.field.company_size'],
  ['need', 'card.field.need'],
] as const satisfies readonly (readonly [string, MessageKey])[];

const money = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

function budgetText(budget: Budget): string {
  const { min, max, currency } = budget;
  if (min !== null && max !== null && min !== max) return `${money(min)}–${money(max)} ${currency}`;
  return `${money((min ?? max) as number)} ${currency}`;
}

function sourceText(lead: Lead, locale: Locale): string | null {
  if (!lead.source) return null;
  return [sourceLabel(lead.source, null, locale), lead.subSource, lead.campaign].filter(Boolean).join(' · ');
}

function presentScore(lead: Lead, locale: Locale): LeadCardView['score'] {
  const summary = t(locale, 'card.score', {
    score: lead.score,
    priority: t(locale, `priority.${lead.priority}`),
    grade: t(locale, `grade.${lead.grade}`),
  });
  const reasons = lead.scoreDetail.map((d) => `${d.points > 0 ? '+' : ''}${d.points} ${d.label}`).join(', ');
  return { summary, why: reasons ? t(locale, 'card.score_why', { reasons }) : null };
}

function presentNotes(data: LeadCardData, locale: Locale): string[] {
  const notes: string[] = [];
  const { lead, related } = data;
  if (lead.status === 'pooled' && lead.duplicateOfId) {
    const ref = formatLeadRef(lead.duplicateOfId);
    // A possible match (a shared line, a similar company) was never an owner's question: the card says what it is.
    const possible = lead.matchPossible || lead.matchOn === 'name_core';
    notes.push(t(locale, possible ? 'card.possible_match' : 'card.possible_duplicate', { ref }));
    if (possible && lead.matchOn === 'phone')
      notes.push(t(locale, 'dup.matched_on', { on: t(locale, 'match.on.shared_line') }));
    else if (isMatchKind(lead.matchOn))
      notes.push(t(locale, 'dup.matched_on', { on: t(locale, `match.on.${lead.matchOn}`) }));
  }
  if (related.length > 0) {
    const leads = related
      .map((r) =>
        r.ownerName
          ? t(locale, 'card.related_owned', { ref: formatLeadRef(r.id), owner: r.ownerName })
          : t(locale, 'card.related_pooled', { ref: formatLeadRef(r.id) }),
      )
      .join(', ');
    notes.push(t(locale, 'card.related', { leads }));
  }
  // What intake flagged (a phone read in another region, or kept as typed): shown until someone fixes it.
  for (const [field, messages] of Object.entries(presentFieldProblems(lead.fieldWarnings, locale)))
    for (const message of messages) notes.push(t(locale, 'card.field_warning', { field, message }));
  return notes;
}

export function presentLeadCard(data: LeadCardData, team: TeamPolicy): LeadCardView {
  const { lead } = data;
  const locale = team.locale;
  const ref = formatLeadRef(lead.id);
  const title = t(locale, 'card.title', { ref, name: lead.name });
  const fields = FIELD_KEYS.flatMap(([field, key]) => {
    const value = lead[field];
    return value ? [{ label: t(locale, key), value }] : [];
  });
  const source = sourceText(lead, locale);
  if (source) fields.push({ label: t(locale, 'card.field.source'), value: source });
  if (lead.budget) fields.push({ label: t(locale, 'card.field.budget'), value: budgetText(lead.budget) });
  const role =
    lead.decisionRole && lead.decisionRole !== 'unknown' ? t(locale, `decision_role.${lead.decisionRole}`) : null;
  const decision = [role, lead.decisionMaker, lead.decisionProcess].filter(Boolean).join(' · ');
  if (decision) fields.push({ label: t(locale, 'card.field.decision'), value: decision });
  // Contact details stay masked on the shared card; the owner gets them in a DM.
  const contact = contactLine(lead, true, locale);
  if (contact)
    fields.push({ label: t(locale, 'card.field.contact'), value: t(locale, 'card.contact_masked', { contact }) });

  const pooled = lead.status === 'pooled';
  const status = cardStatus(data, team);
  return {
    fallbackText: `${title} · ${status}`,
    title,
    fields,
    score: presentScore(lead, locale),
    notes: presentNotes(data, locale),
    status,
    claim: pooled
      ? { actionId: ACTION_IDS.claimLead, value: String(lead.id), label: t(locale, 'card.claim_button') }
      : null,
    followUp: lead.status === 'owned' ? followUpButton(lead.id, locale) : null,
    alert: pooled && data.alerted?.length ? { label: t(locale, 'card.alert'), people: data.alerted } : null,
  };
}

function cardStatus({ lead, owner, returnedFrom, taken }: LeadCardData, team: TeamPolicy): string {
  const locale = team.locale;
  const ownerName = owner?.displayName ?? '?';
  if (lead.status === 'closed') {
    if (lead.stage === 'converted') return t(locale, 'card.status.converted', { owner: ownerName });
    const reason = closeReasonName(lead.closeReason ?? 'other', locale);
    return t(locale, 'card.status.closed', { stage: t(locale, `stage.${lead.stage}`), reason });
  }
  if (lead.status !== 'pooled') {
    const due = lead.followUpDueAt ?? '';
    if (taken?.how !== 'assigned') return t(locale, 'card.status.owned', { owner: ownerName, due }, team.timeZone);
    return taken.by
      ? t(locale, 'card.status.assigned_by', { owner: ownerName, by: taken.by, due }, team.timeZone)
      : t(locale, 'card.status.assigned', { owner: ownerName, due }, team.timeZone);
  }
  const open = t(locale, 'card.status.pooled');
  return returnedFrom ? `${t(locale, 'card.status.returned', { owner: returnedFrom.displayName })} ${open}` : open;
}

const isMatchKind = (on: string | null): on is MatchKeyKind =>
  (MATCH_KEY_KINDS as readonly (string | null)[]).includes(on);
