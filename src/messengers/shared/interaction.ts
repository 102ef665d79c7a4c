import { z } from 'zod';
import type { Locale } from '../../domain/leads/lead.js';
import type { LeadCardData } from '../../domain/leads/lead-read-model.js';
import type { Identity } from '../../domain/members/identity.js';
import { isDomainError } from '../../domain/shared/errors.js';
import { t } from '../../i18n/catalog.js';
import { errorFields } from '../../infra/logger.js';
import { leadIdValue } from './action-ids.js';
import type { MessengerDeps } from './messenger-deps.js';
import type { ChartsView } from './presenters/charts.presenter.js';
import { presentError } from './presenters/error.presenter.js';

/**
 * The messenger-neutral shape of a click or a form submission, and of its answer. A messenger's
 * edge turns its platform request into a `Click`, `runInteraction` checks and runs it, and the
 * edge draws the `Reply` (see INTERACTIONS for the table of what each one does).
 */

export type Tone = 'success' | 'info' | 'warning' | 'error';

/** One input of a form, for any messenger to render. */
export interface FormField<Id extends string = string> {
  /** The field this input fills; also its block id, so errors land next to it. */
  id: Id;
  label: string;
  kind: 'text' | 'long_text' | 'select';
  optional: boolean;
  options?: { value: string; label: string }[];
  initial?: string;
}

/** A form, neutral: a Slack modal, a Lark form card. Its submit is the interaction `submitId`. */
export interface FormView {
  submitId: string;
  /** The Slack modal's `callback_id` (Slack names a modal's submission apart from buttons). */
  slackView: string;
  title: string;
  /** What it is about, shown above the fields, e.g. "L-42 Li Na (Globex)". */
  about: string | null;
  submit: string;
  close: string;
  fields: FormField[];
  /** A problem per field id, shown under that field (a refused submission). */
  errors: Record<string, string>;
  /** Carried back with the submission: the lead it is about, or the team it adds to (null: asked in the form). */
  carries: { lead: number } | { team: string | null };
}

/** What the person sees after a click or a submission; each messenger draws every kind. */
export type Reply =
  /** A short line for the clicker only: Slack ephemeral (a modal for a view-opening button), Lark toast. */
  | { kind: 'notice'; tone: Tone; title: string; text: string }
  /** The clicked message (or submitted form) becomes this answer, so it cannot be answered twice. */
  | { kind: 'replace'; title: string; text: string }
  /**
   * The clicked lead card, redrawn as the lead now is; `text` is a toast where the messenger has one.
   * `data`: the lead as the use case left it, when it has it (else the card's data is read).
   */
  | { kind: 'lead_card'; leadId: number; text: string; data?: LeadCardData }
  /** A form to fill in, or the submitted one again with its problems. `privately`: never over a shared card. */
  | { kind: 'form'; form: FormView; privately: boolean; text: string }
  /** A read-only answer in a view of its own (Slack modal, Lark card in the person's chat). */
  | { kind: 'view'; title: string; text: string; charts?: ChartsView }
  /** Already drawn through `Click.replyNow`. */
  | { kind: 'answered' };

export interface Reader {
  locale: Locale;
  timeZone: string;
}

/** A click or submission as every messenger's edge hands it over. */
export interface Click {
  /** The button's action id, or the form's submit id. */
  interaction: string;
  actor: Identity;
  /** What the button or form carries (`{ lead }`, `{ team }`), unchecked. */
  subject: unknown;
  /** A submitted form's values by field id, unchecked; empty for a button. */
  form: Record<string, unknown>;
  reader: Reader;
  /**
   * Makes a redelivered request change nothing. Lark redelivers a click it did not hear back about;
   * Slack's retries are dropped at the receiver by its replay ledger, so Slack buttons carry none.
   */
  requestId?: string;
  /** The form's own id (a Slack view, a Lark message): a second submit of the same form replays. */
  formId?: string;
  /** Draws a reply at once, where the messenger can (Slack's response URL); see the claim. */
  replyNow?: (reply: Reply) => Promise<void>;
}

/** One row of the table: what a button or form carries, what it runs, and how it answers. */
export interface Interaction<S = unknown> {
  id: string;
  /** A form submission's Slack `callback_id`; a button has none. */
  slackView?: string;
  /** What the button's one value is (a Slack button carries a single string). */
  carries: 'lead' | 'team';
  /** Checks what the click carries; a failure is an out-of-date or forged button. */
  subject: z.ZodType<S>;
  /**
   * Where a refusal goes: `message` when the button sits on a message it would answer in place (a
   * private line beside it), `view` when it opens something (a modal saying why, in Slack).
   */
  answersIn: 'message' | 'view';
  /** Names it in log lines and titles a refusal. */
  title(reader: Reader, subject: S): string;
  run(deps: MessengerDeps, input: RunInput<S>): Promise<Reply>;
}

export type RunInput<S> = Omit<Click, 'subject' | 'interaction'> & { subject: S };

/** Defines a row with its subject's type inferred (the table holds rows of many subjects). */
export const interaction = <S>(row: Interaction<S>): Interaction => row as Interaction;

/** `{ lead }`: Slack modals carry it as a number in their metadata, buttons as text. */
export const leadSubject = z.object({
  lead: z.union([z.string(), z.number().int()]).transform(String).pipe(leadIdValue),
});
const teamId = z.string().regex(/^[a-z0-9-]{1,64}$/);
export const teamSubject = z.object({ team: teamId });
/** A form that asks for the team itself carries none (Slack: null, Lark: ''). */
export const optionalTeamSubject = z.object({ team: teamId.or(z.literal('')).nullish() });

/**
 * Checks and runs a click. Never throws: a bad subject is an out-of-date button (said and logged),
 * a refusal is said to the clicker, and anything unexpected is logged and apologised for.
 */
export async function runInteraction(
  deps: MessengerDeps,
  table: ReadonlyMap<string, Interaction>,
  click: Click,
): Promise<Reply> {
  const { locale } = click.reader;
  const row = table.get(click.interaction);
  const subject = row?.subject.safeParse(click.subject);
  const started = performance.now();
  const observed = (outcome: string) =>
    deps.metrics?.handled({
      kind: 'interaction',
      // Unknown ids are not echoed into the metrics: their values would be whatever a sender made up.
      name: row ? row.id : 'unknown',
      outcome,
      seconds: (performance.now() - started) / 1000,
    });
  if (!row || !subject?.success) {
    observed('malformed');
    deps.log.warn('button or form with a malformed value ignored', { action: click.interaction.slice(0, 64) });
    return {
      kind: 'notice',
      tone: 'warning',
      title: t(locale, 'modal.stale_title'),
      text: t(locale, 'toast.stale_button'),
    };
  }
  try {
    const reply = await row.run(deps, { ...click, subject: subject.data });
    observed('ok');
    return reply;
  } catch (error) {
    observed(outcomeOf(error));
    const shown = presentError(error, locale, click.reader.timeZone);
    if (!shown.expected) deps.log.error(`${row.id} failed`, errorFields(error));
    const title = row.title(click.reader, subject.data);
    return { kind: 'notice', tone: shown.expected ? 'warning' : 'error', title, text: shown.text };
  }
}

/** A refusal by its error code; anything else is unexpected. */
export const outcomeOf = (error: unknown): string => (isDomainError(error) ? error.code : 'unexpected');
