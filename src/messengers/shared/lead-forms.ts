import { z } from 'zod';
import { formatLeadRef, type Locale } from '../../domain/leads/lead.js';
import { assignableMembers, assignLead, releaseLead } from '../../domain/leads/work-lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { requestExtension } from '../../domain/sla/extensions.js';
import { type MessageKey, t } from '../../i18n/catalog.js';
import { errorFields } from '../../infra/logger.js';
import { ACTION_IDS, FORM_ACTIONS, VIEW_IDS } from './action-ids.js';
import type { MessengerDeps } from './messenger-deps.js';
import { presentWorked } from './presenters/command-reply.presenter.js';
import { presentError } from './presenters/error.presenter.js';
import type { FormField } from './presenters/new-lead-form.presenter.js';

/**
 * The one-field forms about one lead (release it, ask for more time, hand it to someone), each
 * defined once for every messenger: the button that opens it, the form, how its one value is read
 * and the use case it runs. A messenger only renders the form and the answer, and reads the value.
 */

/** A form, neutral: each messenger draws it (a Slack modal, a Lark form card). */
export interface LeadFormView {
  title: string;
  about: string;
  field: FormField;
  submit: string;
}

export type FormOpening = { ok: true; view: LeadFormView } | { ok: false; title: string; text: string };
export type FormAnswer = { ok: true; title: string; text: string } | { ok: false; field: string; error: string };

export interface LeadForm {
  kind: 'release' | 'extension' | 'assign';
  /** The button that opens the form (Slack `action_id`, Lark `value.action`). */
  opensWith: string;
  /** The Slack modal's `callback_id`. */
  slackView: string;
  /** The Lark form's submit button `value.action`. */
  larkSubmit: string;
  /** The one field's id, under which a refusal is shown. */
  field: string;
  title: MessageKey;
  /** The form for this lead, or why there is none (nobody to hand it to). */
  view(deps: MessengerDeps, target: LeadTarget, locale: Locale): Promise<LeadFormView | { none: string }>;
  /** How the one value must look; anything else is a form that was tampered with or broken. */
  value: z.ZodType<string>;
  /** Runs the use case; its answer, in the reader's words. */
  run(deps: MessengerDeps, input: LeadTarget & { requestId: string; value: string }, locale: Locale): Promise<string>;
}

export interface LeadTarget {
  leadId: number;
  actor: Identity;
}

const reasonForm = (texts: {
  title: MessageKey;
  reason: MessageKey;
  submit: MessageKey;
}): Pick<LeadForm, 'title' | 'field' | 'value' | 'view'> => ({
  title: texts.title,
  field: 'reason',
  value: z.string().max(2000),
  view: async (_deps, { leadId }, locale) => ({
    title: t(locale, texts.title),
    about: formatLeadRef(leadId),
    field: { id: 'reason', label: t(locale, texts.reason), kind: 'long_text', optional: false },
    submit: t(locale, texts.submit),
  }),
});

export const LEAD_FORMS: readonly LeadForm[] = [
  {
    kind: 'release',
    opensWith: ACTION_IDS.openRelease,
    slackView: VIEW_IDS.releaseModal,
    larkSubmit: FORM_ACTIONS.releaseSubmit,
    ...reasonForm({
      title: 'release_form.title',
      reason: 'release_form.reason',
      submit: 'release_form.submit',
    }),
    run: async (deps, { leadId, actor, requestId, value }, locale) => {
      const released = await releaseLead(deps, { leadId, actor, requestId }, value);
      return t(locale, 'cmd.release.done', { ref: formatLeadRef(released.lead.id) });
    },
  },
  {
    kind: 'extension',
    opensWith: ACTION_IDS.openExtension,
    slackView: VIEW_IDS.extensionModal,
    larkSubmit: FORM_ACTIONS.extensionSubmit,
    ...reasonForm({
      title: 'extension_form.title',
      reason: 'extension_form.reason',
      submit: 'extension_form.submit',
    }),
    // The reason goes to the team's managers.
    run: async (deps, { leadId, actor, value }, locale) => {
      const asked = await requestExtension(deps, { leadId, actor, reason: value });
      return t(locale, 'extension.requested', { lead: formatLeadRef(asked.lead.id), count: asked.managers });
    },
  },
  {
    kind: 'assign',
    opensWith: ACTION_IDS.openAssign,
    slackView: VIEW_IDS.assignModal,
    larkSubmit: FORM_ACTIONS.assignSubmit,
    title: 'assign_form.title',
    field: 'member',
    value: z.uuid(),
    view: async (deps, target, locale) => {
      const members = await assignableMembers(deps, target);
      if (members.length === 0) return { none: t(locale, 'assign_form.nobody') };
      return {
        title: t(locale, 'assign_form.title'),
        about: formatLeadRef(target.leadId),
        field: {
          id: 'member',
          label: t(locale, 'assign_form.member'),
          kind: 'select',
          optional: false,
          options: members.map((m) => ({ value: m.id, label: m.displayName })),
        },
        submit: t(locale, 'assign_form.submit'),
      };
    },
    run: async (deps, { leadId, actor, requestId, value }, locale) => {
      const worked = await assignLead(deps, { leadId, actor, requestId }, { memberId: value });
      const assigneeName = worked.assignee?.displayName ?? '?';
      const timeZone = deps.teams.find(worked.lead.teamId)?.timeZone;
      return presentWorked(locale, 'assign', { lead: worked.lead, assigneeName }, timeZone);
    },
  },
];

/** The form a button opens; a refusal (not yours to release, nobody to hand it to) is said instead. */
export async function openLeadForm(
  deps: MessengerDeps,
  form: LeadForm,
  target: LeadTarget,
  locale: Locale,
): Promise<FormOpening> {
  const title = t(locale, form.title);
  try {
    const view = await form.view(deps, target, locale);
    return 'none' in view ? { ok: false, title, text: view.none } : { ok: true, view };
  } catch (error) {
    const shown = presentError(error, locale);
    if (!shown.expected) deps.log.error(`opening the ${form.kind} form failed`, errorFields(error));
    return { ok: false, title, text: shown.text };
  }
}

/** A submitted form: the use case's answer, or the problem to show under the field. */
export async function submitLeadForm(
  deps: MessengerDeps,
  form: LeadForm,
  input: LeadTarget & { requestId: string; value: unknown },
  locale: Locale,
): Promise<FormAnswer> {
  const value = form.value.safeParse(input.value ?? '');
  if (!value.success) return { ok: false, field: form.field, error: t(locale, 'modal.malformed') };
  try {
    const text = await form.run(deps, { ...input, value: value.data }, locale);
    return { ok: true, title: t(locale, form.title), text };
  } catch (error) {
    const shown = presentError(error, locale);
    if (!shown.expected) deps.log.error(`${form.kind} from a form failed`, errorFields(error));
    return { ok: false, field: form.field, error: shown.text };
  }
}
