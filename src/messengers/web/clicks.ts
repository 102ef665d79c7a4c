import { z } from 'zod';
import { t } from '../../i18n/catalog.js';
import { errorFields } from '../../infra/logger.js';
import type { LeadPostStore } from '../../infra/outbox/lead-posts.js';
import { type FormView, type Reply, runInteraction, type Tone } from '../shared/interaction.js';
import { INTERACTIONS } from '../shared/interactions.js';
import { cardShowing } from '../shared/lead-card-showing.js';
import type { MessengerDeps } from '../shared/messenger-deps.js';
import type { ChartsView } from '../shared/presenters/charts.presenter.js';
import { webIdentity } from './identity.js';
import { WEB_CARDS, type WebCard } from './lead-cards.js';
import type { PlaygroundPerson } from './people.js';

export interface WebDeps extends MessengerDeps {
  posts: LeadPostStore;
  people: () => readonly PlaygroundPerson[];
}

/** A click or form submission from the page, acting as `as` (a person key). */
export const webClickSchema = z.object({
  as: z.string().min(1).max(200),
  interaction: z.string().min(1).max(64),
  subject: z.record(z.string(), z.unknown()).default({}),
  form: z.record(z.string(), z.unknown()).default({}),
  /** The language the page is read in, when the person switched it from their own. */
  locale: z.enum(['en', 'zh-CN']).optional(),
  /** The page's id for this click: a repeat of it (a retried request) changes nothing. */
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});
export type WebClick = z.input<typeof webClickSchema>;

/** What the page shows after a click: every reply kind of the interaction table, as data. */
export type WebAnswer =
  | { kind: 'notice'; tone: Tone; title: string; text: string }
  | { kind: 'replace'; title: string; text: string }
  | { kind: 'card'; leadId: number; card: WebCard | null; text: string }
  | { kind: 'form'; form: FormView; privately: boolean; text: string }
  | { kind: 'view'; title: string; text: string; charts: ChartsView | null }
  /** A file to save (`/lead export`), with what to say of it. */
  | { kind: 'file'; filename: string; content: string; text: string }
  | { kind: 'answered' };

export type WebClickResult = { ok: true; answer: WebAnswer } | { ok: false; status: 400 | 403; error: string };

type Refusal = { ok: false; status: 400 | 403; error: string };

/** A request of the page, checked, and the person it acts as: a 400 when it does not parse, a 403 for nobody. */
export function actingAs<T extends { as: string }>(
  deps: Pick<WebDeps, 'people'>,
  schema: z.ZodType<T>,
  input: unknown,
): { ok: true; input: T; person: PlaygroundPerson } | Refusal {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, error: z.prettifyError(parsed.error) };
  const person = deps.people().find((p) => p.key === parsed.data.as);
  if (!person) return { ok: false, status: 403, error: 'no such person in the teams file' };
  return { ok: true, input: parsed.data, person };
}

/**
 * A click from the playground through the same table as Slack's and Lark's: checked, run as the
 * person it names, and answered as data the page draws (as text: nothing from a lead is markup).
 */
export async function answerWebClick(deps: WebDeps, body: unknown): Promise<WebClickResult> {
  const acting = actingAs(deps, webClickSchema, body);
  if (!acting.ok) return acting;
  const { input: click, person } = acting;
  const reply = await runInteraction(deps, INTERACTIONS, {
    interaction: click.interaction,
    actor: webIdentity(person.key),
    subject: click.subject,
    form: click.form,
    reader: { locale: click.locale ?? person.locale, timeZone: deps.directory.timeZoneOf(person.key) },
    ...(click.requestId ? { requestId: `web:${click.requestId}`, formId: click.requestId } : {}),
  });
  try {
    return { ok: true, answer: await drawReply(deps, reply) };
  } catch (error) {
    deps.log.error('playground click answer failed', errorFields(error));
    const text = t(click.locale ?? person.locale, 'error.unexpected');
    return { ok: true, answer: { kind: 'notice', tone: 'error', title: '', text } };
  }
}

async function drawReply(deps: WebDeps, reply: Reply): Promise<WebAnswer> {
  switch (reply.kind) {
    case 'notice':
    case 'replace':
    case 'form':
    case 'answered':
      return reply;
    case 'view':
      return { kind: 'view', title: reply.title, text: reply.text, charts: reply.charts ?? null };
    case 'lead_card':
      return {
        kind: 'card',
        leadId: reply.leadId,
        card: await cardShowing(deps, WEB_CARDS, reply.leadId, reply.data),
        text: reply.text,
      };
  }
}
