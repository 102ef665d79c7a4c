import { z } from 'zod';
import { type ClaimResult, claimLead } from '../../domain/claims/claim-lead.js';
import { answerDuplicate, type DuplicateAnswer } from '../../domain/duplicates/answer-duplicate.js';
import { followUpTarget } from '../../domain/follow-ups/log-follow-up.js';
import { validateLead } from '../../domain/intake/validate-lead.js';
import { formatLeadRef, type Locale } from '../../domain/leads/lead.js';
import { assignableMembers, assignLead, releaseLead } from '../../domain/leads/work-lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { answerExtension, requestExtension } from '../../domain/sla/extensions.js';
import { type MessageKey, t } from '../../i18n/catalog.js';
import { formProblems, presentFieldProblems } from '../../i18n/field-problems.js';
import { ACTION_IDS, FORM_ACTIONS, VIEW_IDS } from './action-ids.js';
import { followUpValues, submitFollowUpForm } from './follow-up-form.js';
import { funnelAnswer } from './funnel-answer.js';
import {
  type FormField,
  type FormView,
  type Interaction,
  interaction,
  leadSubject,
  optionalTeamSubject,
  type Reader,
  type Reply,
  type RunInput,
  teamSubject,
} from './interaction.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentDuplicateAnswered, presentWorked } from './presenters/command-reply.presenter.js';
import { presentExtensionAnswered } from './presenters/direct-message.presenter.js';
import { presentError } from './presenters/error.presenter.js';
import { presentFollowUpForm } from './presenters/follow-up-form.presenter.js';
import { presentNewLeadForm } from './presenters/new-lead-form.presenter.js';
import { presentShown } from './show-lead.js';
import { submitFormLead } from './submit-form-lead.js';

/**
 * Every button and form of both messengers, defined once: what it carries, the use case it runs and
 * its answer. Adding one touches this file and, at most, one renderer per messenger; a test fails
 * for any action or view id an adapter registers that is not here.
 */

type LeadInput = RunInput<{ lead: number }>;
const refOf = (_: Reader, { lead }: { lead: number }) => formatLeadRef(lead);
const replaced = (title: string, text: string): Reply => ({ kind: 'replace', title, text });

/** A button on a lead that answers in place: the clicked message becomes what was done. */
const leadButton = (id: string, run: (deps: MessengerDeps, input: LeadInput) => Promise<string>) =>
  interaction({
    id,
    carries: 'lead',
    subject: leadSubject,
    answersIn: 'message',
    title: refOf,
    run: async (deps, input) => replaced(formatLeadRef(input.subject.lead), await run(deps, input)),
  });

const duplicateAnswer = (id: string, answer: DuplicateAnswer) =>
  leadButton(id, async (deps, { subject, actor, requestId, reader }) => {
    const { lead, existing } = await answerDuplicate(deps, { leadId: subject.lead, actor, answer, requestId });
    return presentDuplicateAnswered(reader.locale, answer, lead, existing);
  });

const extensionAnswer = (id: string, approve: boolean) =>
  leadButton(id, async (deps, { subject, actor, reader }) =>
    presentExtensionAnswered(
      await answerExtension(deps, { leadId: subject.lead, actor, approve }),
      reader.locale,
      reader.timeZone,
    ),
  );

/** Claim: the clicked card is redrawn with its owner, at once where the messenger can (see claimLead). */
const claim = interaction({
  id: ACTION_IDS.claimLead,
  carries: 'lead',
  subject: leadSubject,
  answersIn: 'message',
  title: refOf,
  run: async (deps, { subject, actor, requestId, reader, replyNow }) => {
    const leadId = subject.lead;
    const card = (won: ClaimResult): Reply => ({
      kind: 'lead_card',
      leadId,
      text: t(reader.locale, 'toast.claimed', { ref: formatLeadRef(leadId) }),
      ...(won.card ? { data: won.card } : {}),
    });
    const won = await claimLead(deps, { leadId, actor, requestId }, replyNow ? (w) => replyNow(card(w)) : undefined);
    return replyNow ? { kind: 'answered' } : card(won);
  },
});

const show = interaction({
  id: ACTION_IDS.showLead,
  carries: 'lead',
  subject: leadSubject,
  answersIn: 'view',
  title: refOf,
  run: async (deps, { subject, actor, reader }) => ({
    kind: 'view',
    title: formatLeadRef(subject.lead),
    text: await presentShown(deps, actor, subject.lead, reader.locale, reader.timeZone),
  }),
});

/** "Open the funnel" on a digest: this week's funnel of the team, for whoever may see it. */
const funnel = interaction({
  id: ACTION_IDS.openFunnel,
  carries: 'team',
  subject: teamSubject,
  answersIn: 'view',
  title: ({ locale }) => t(locale, 'digest.open_funnel'),
  run: async (deps, { subject, actor, reader }) => {
    const answer = await funnelAnswer(deps, { actor, team: subject.team, period: 'this week' }, reader.locale);
    return { kind: 'view', title: t(reader.locale, 'digest.open_funnel'), ...answer };
  },
});

/** "Log follow-up" sits on shared cards too: its form goes to the person alone. */
const openFollowUp = interaction({
  id: ACTION_IDS.openFollowUp,
  carries: 'lead',
  subject: leadSubject,
  answersIn: 'view',
  title: ({ locale }) => t(locale, 'follow_up_form.title'),
  run: async (deps, { subject, actor, reader: { locale } }) => {
    const lead = await followUpTarget(deps, { leadId: subject.lead, actor });
    const text = t(locale, 'follow_up_form.sent', { ref: formatLeadRef(lead.id) });
    return { kind: 'form', form: presentFollowUpForm(lead, locale), privately: true, text };
  },
});

/** A refused submission shows the form again with what was typed and each problem under its field. */
const submitFollowUp = interaction({
  id: FORM_ACTIONS.followUpSubmit,
  slackView: VIEW_IDS.followUpModal,
  carries: 'lead',
  subject: leadSubject,
  answersIn: 'view',
  title: ({ locale }) => t(locale, 'follow_up_form.title'),
  run: async (deps, { subject, actor, form, requestId, reader: { locale } }) => {
    const values = followUpValues(form);
    const leadId = subject.lead;
    const result = await submitFollowUpForm(deps, { leadId, actor, values, requestId }, locale);
    if (result.ok) return replaced(t(locale, 'follow_up_form.title'), result.text);
    if (result.unexpected) deps.log.error('follow-up from a form failed', { leadId });
    const lead = (await deps.leads.lead(leadId)) ?? { id: leadId, name: '', company: null };
    const again = presentFollowUpForm(lead, locale, values, result.errors);
    return { kind: 'form', form: again, privately: false, text: Object.values(result.errors)[0] ?? '' };
  },
});

/** The one-field forms about one lead: release it, ask for more time, hand it to someone. */
interface OneFieldForm {
  opensWith: string;
  submitId: string;
  slackView: string;
  title: MessageKey;
  fieldId: 'reason' | 'member';
  /** The one field, or why there is no form (nobody to hand it to). */
  field(deps: MessengerDeps, target: { leadId: number; actor: Identity }, locale: Locale): Promise<FormField | string>;
  submit: MessageKey;
  /** How the one value must look; anything else is a form that was tampered with or broken. */
  value: z.ZodType<string>;
  run(deps: MessengerDeps, input: LeadInput, value: string): Promise<string>;
}

const reasonField =
  (label: MessageKey): OneFieldForm['field'] =>
  async (_deps, _target, locale) => ({ id: 'reason', label: t(locale, label), kind: 'long_text', optional: false });

const ONE_FIELD_FORMS: readonly OneFieldForm[] = [
  {
    opensWith: ACTION_IDS.openRelease,
    submitId: FORM_ACTIONS.releaseSubmit,
    slackView: VIEW_IDS.releaseModal,
    title: 'release_form.title',
    fieldId: 'reason',
    field: reasonField('release_form.reason'),
    submit: 'release_form.submit',
    value: z.string().max(2000),
    run: async (deps, { subject, actor, requestId, reader }, reason) => {
      const released = await releaseLead(deps, { leadId: subject.lead, actor, requestId }, reason);
      return t(reader.locale, 'cmd.release.done', { ref: formatLeadRef(released.lead.id) });
    },
  },
  {
    opensWith: ACTION_IDS.openExtension,
    submitId: FORM_ACTIONS.extensionSubmit,
    slackView: VIEW_IDS.extensionModal,
    title: 'extension_form.title',
    fieldId: 'reason',
    field: reasonField('extension_form.reason'),
    submit: 'extension_form.submit',
    value: z.string().max(2000),
    // The reason goes to the team's managers.
    run: async (deps, { subject, actor, reader }, reason) => {
      const asked = await requestExtension(deps, { leadId: subject.lead, actor, reason });
      return t(reader.locale, 'extension.requested', { lead: formatLeadRef(asked.lead.id), count: asked.managers });
    },
  },
  {
    opensWith: ACTION_IDS.openAssign,
    submitId: FORM_ACTIONS.assignSubmit,
    slackView: VIEW_IDS.assignModal,
    title: 'assign_form.title',
    fieldId: 'member',
    field: async (deps, target, locale) => {
      const members = await assignableMembers(deps, target);
      if (members.length === 0) return t(locale, 'assign_form.nobody');
      const options = members.map((m) => ({ value: m.id, label: m.displayName }));
      return { id: 'member', label: t(locale, 'assign_form.member'), kind: 'select', optional: false, options };
    },
    submit: 'assign_form.submit',
    value: z.uuid(),
    run: async (deps, { subject, actor, requestId, reader }, memberId) => {
      const worked = await assignLead(deps, { leadId: subject.lead, actor, requestId }, { memberId });
      const assigneeName = worked.assignee?.displayName ?? '?';
      const timeZone = deps.teams.find(worked.lead.teamId)?.timeZone;
      return presentWorked(reader.locale, 'assign', { lead: worked.lead, assigneeName }, timeZone);
    },
  },
];

/** The form for this lead, with a problem under its field if one is given; a string says why there is none. */
async function oneFieldView(
  deps: MessengerDeps,
  form: OneFieldForm,
  input: LeadInput,
  problem?: string,
): Promise<FormView | string> {
  const { locale } = input.reader;
  const field = await form.field(deps, { leadId: input.subject.lead, actor: input.actor }, locale);
  if (typeof field === 'string') return field;
  return {
    submitId: form.submitId,
    slackView: form.slackView,
    title: t(locale, form.title),
    about: formatLeadRef(input.subject.lead),
    submit: t(locale, form.submit),
    close: t(locale, 'modal.close'),
    fields: [field],
    errors: problem ? { [field.id]: problem } : {},
    carries: { lead: input.subject.lead },
  };
}

function oneFieldRows(form: OneFieldForm): Interaction[] {
  const title = ({ locale }: Reader) => t(locale, form.title);
  const opener = interaction({
    id: form.opensWith,
    carries: 'lead',
    subject: leadSubject,
    answersIn: 'view',
    title,
    run: async (deps, input): Promise<Reply> => {
      const view = await oneFieldView(deps, form, input);
      if (typeof view === 'string') return { kind: 'notice', tone: 'warning', title: title(input.reader), text: view };
      return { kind: 'form', form: view, privately: false, text: formatLeadRef(input.subject.lead) };
    },
  });
  const submit = interaction({
    id: form.submitId,
    slackView: form.slackView,
    carries: 'lead',
    subject: leadSubject,
    answersIn: 'view',
    title,
    run: async (deps, input): Promise<Reply> => {
      const { locale } = input.reader;
      const value = form.value.safeParse(input.form[form.fieldId] ?? '');
      let problem = t(locale, 'modal.malformed');
      if (value.success) {
        try {
          return replaced(title(input.reader), await form.run(deps, input, value.data));
        } catch (error) {
          const refused = presentError(error, locale, input.reader.timeZone);
          if (!refused.expected) deps.log.error(`${form.submitId} failed`, { leadId: input.subject.lead });
          problem = refused.text;
        }
      }
      const again = await oneFieldView(deps, form, input, problem);
      if (typeof again === 'string')
        return { kind: 'notice', tone: 'warning', title: title(input.reader), text: problem };
      return { kind: 'form', form: again, privately: false, text: problem };
    },
  });
  return [opener, submit];
}

/** The "New lead" form a person may fill in: null when they are in no team. */
export function newLeadForm(
  deps: MessengerDeps,
  actor: Identity,
  locale: Locale,
  typed: Record<string, unknown> = {},
  errors: Record<string, string> = {},
): FormView | null {
  const teams = deps.directory.teamsOf(actor.externalId);
  return teams.length === 0 ? null : presentNewLeadForm(teams, deps.sources, locale, typed, errors);
}

/** Checked like any lead from outside; every problem (even one intake would only warn about) is shown in the form. */
const submitNewLead = interaction({
  id: FORM_ACTIONS.newLeadSubmit,
  slackView: VIEW_IDS.newLeadModal,
  carries: 'team',
  subject: optionalTeamSubject,
  answersIn: 'view',
  title: ({ locale }) => t(locale, 'modal.title'),
  run: async (deps, { subject, form, actor, formId, reader: { locale } }) => {
    // Empty inputs are left out; the team comes with the form when the person is in one team only.
    const input = Object.fromEntries(Object.entries(form).filter(([, v]) => !(typeof v === 'string' && !v.trim())));
    if (subject.team) input.team = subject.team;
    const checked = validateLead(input, deps.teams, deps.sources);
    const found = checked.ok ? formProblems(checked.lead.warnings) : checked.problems;
    if (!checked.ok || found.length > 0) {
      const byField = presentFieldProblems(found, locale);
      const errors = Object.fromEntries(Object.entries(byField).map(([field, said]) => [field, said.join('; ')]));
      const problems = Object.entries(errors)
        .map(([field, said]) => `${field}: ${said}`)
        .join('; ');
      const again = newLeadForm(deps, actor, locale, form, errors);
      const text = t(locale, 'toast.form_problems', { problems });
      if (!again) return { kind: 'notice', tone: 'warning', title: t(locale, 'modal.title'), text };
      return { kind: 'form', form: again, privately: false, text };
    }
    // The form's own id keys the submission: a second submit of the same form replays.
    const submissionKey = formId ?? checked.lead.fingerprint;
    const text = await submitFormLead(deps, { lead: checked.lead, actor, submissionKey }, locale);
    return replaced(t(locale, 'modal.title'), text);
  },
});

export const INTERACTIONS: ReadonlyMap<string, Interaction> = new Map(
  [
    claim,
    duplicateAnswer(ACTION_IDS.duplicateMine, 'mine'),
    duplicateAnswer(ACTION_IDS.duplicateNotDuplicate, 'not_duplicate'),
    duplicateAnswer(ACTION_IDS.duplicateRelease, 'release'),
    extensionAnswer(ACTION_IDS.approveExtension, true),
    extensionAnswer(ACTION_IDS.denyExtension, false),
    show,
    funnel,
    openFollowUp,
    submitFollowUp,
    ...ONE_FIELD_FORMS.flatMap(oneFieldRows),
    submitNewLead,
  ].map((row) => [row.id, row]),
);

/** The table's rows that are a Slack modal's submission, by `callback_id`. */
export const SLACK_VIEWS: ReadonlyMap<string, Interaction> = new Map(
  [...INTERACTIONS.values()].flatMap((row) => (row.slackView ? [[row.slackView, row] as const] : [])),
);
