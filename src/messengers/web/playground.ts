import { z } from 'zod';
import type { Locale } from '../../domain/leads/lead.js';
import { catalogs, t } from '../../i18n/catalog.js';
import { errorFields } from '../../infra/logger.js';
import type { ChannelPosts } from '../../infra/outbox/lead-posts.js';
import { languageOfCommand, parseLeadCommand } from '../shared/command-parser.js';
import { funnelAnswer } from '../shared/funnel-answer.js';
import { homeFor } from '../shared/home.js';
import { newLeadForm } from '../shared/interactions.js';
import { cardShowing } from '../shared/lead-card-showing.js';
import { periodExportFile } from '../shared/period-export-file.js';
import { presentError } from '../shared/presenters/error.presenter.js';
import type { HomeView } from '../shared/presenters/home.presenter.js';
import { answerTextCommand, funnelInput } from '../shared/text-commands.js';
import { actingAs, type WebAnswer, type WebClickResult, type WebDeps } from './clicks.js';
import { webIdentity } from './identity.js';
import type { PlaygroundInbox, WebMessage } from './inbox.js';
import { WEB_CARDS, type WebCard } from './lead-cards.js';
import type { PlaygroundPerson } from './people.js';

export interface PlaygroundDeps extends WebDeps {
  channels: ChannelPosts;
  inbox: PlaygroundInbox;
}

/** How many messages of a channel the page shows: the newest. */
export const CHANNEL_SHOWS = 40;

export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];
export const localeSchema = z.enum(['en', 'zh-CN']);

/** The people to act as (with their zone), the teams, the page's own words in both languages, and the clock. */
export function playgroundIndex(deps: PlaygroundDeps) {
  const strings = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      Object.fromEntries(
        Object.entries(catalogs[locale]).filter(([key]) => key.startsWith('playground.') || key === 'help.how_web'),
      ),
    ]),
  );
  const teams = deps.teams.all().map((team) => ({ id: team.id, name: team.name, locale: team.locale }));
  const people = deps.people().map((person) => ({ ...person, timeZone: deps.directory.timeZoneOf(person.key) }));
  return { people, teams, strings, now: deps.clock.now().toISOString() };
}

/** A team's channel as it is now: its newest cards and summary pages, oldest first. */
export async function channelOf(deps: PlaygroundDeps, teamId: string) {
  const posted = await deps.channels.recent('web', teamId, CHANNEL_SHOWS);
  const drawn = await Promise.all(posted.map((m) => cardShowing(deps, WEB_CARDS, m.leadId)));
  const messages: { id: string; card: WebCard }[] = [];
  posted.forEach((m, i) => {
    const card = drawn[i];
    if (card) messages.push({ id: m.messageId, card });
  });
  return { team: teamId, messages };
}

/** The message that shows one lead in its channel now, and which message that is; null when none does. */
export async function messageShowing(deps: PlaygroundDeps, leadId: number) {
  const [post, card] = await Promise.all([deps.posts.find(leadId, 'web'), cardShowing(deps, WEB_CARDS, leadId)]);
  return post && card ? { id: post.messageId, card } : null;
}

export async function deskOf(deps: PlaygroundDeps, person: PlaygroundPerson, locale: Locale): Promise<HomeView> {
  return homeFor(deps, webIdentity(person.key), locale, deps.directory.timeZoneOf(person.key));
}

export function dmsOf(deps: PlaygroundDeps, person: PlaygroundPerson): readonly WebMessage[] {
  return deps.inbox.of(person.key);
}

export const webCommandSchema = z.object({
  as: z.string().min(1).max(200),
  text: z.string().max(3000),
  /** The channel it was typed under, for commands that read "this team" (`/lead funnel`). */
  team: z.string().max(100).optional(),
  locale: localeSchema.optional(),
  requestId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .optional(),
});

/**
 * A `/lead …` command typed in the page, with or without `/lead`, in English or Chinese words: the
 * same commands and answers as in Slack and Lark, with a form, a file or charts where those give one.
 */
export async function answerWebCommand(deps: PlaygroundDeps, body: unknown): Promise<WebClickResult> {
  const acting = actingAs(deps, webCommandSchema, body);
  if (!acting.ok) return acting;
  const { input: typed, person } = acting;
  const words = typed.text.replace(/^\s*\/lead\b/i, '').trim();
  const locale = languageOfCommand(words) ?? typed.locale ?? person.locale;
  const timeZone = deps.directory.timeZoneOf(person.key);
  const channelTeam = deps.teams.find(typed.team ?? '') ? typed.team : undefined;
  try {
    return { ok: true, answer: await runCommand(deps, person, words, { locale, timeZone, channelTeam, typed }) };
  } catch (error) {
    const shown = presentError(error, locale, timeZone);
    if (!shown.expected) deps.log.error('playground command failed', errorFields(error));
    return { ok: true, answer: notice(shown.expected ? 'warning' : 'error', shown.text) };
  }
}

async function runCommand(
  deps: PlaygroundDeps,
  person: PlaygroundPerson,
  words: string,
  context: {
    locale: Locale;
    timeZone: string;
    channelTeam: string | undefined;
    typed: z.output<typeof webCommandSchema>;
  },
): Promise<WebAnswer> {
  const { locale, timeZone, channelTeam } = context;
  const actor = webIdentity(person.key);
  const command = parseLeadCommand(words);
  switch (command.kind) {
    case 'new': {
      const form = newLeadForm(deps, actor, locale);
      return form ? { kind: 'form', form, privately: true, text: '' } : notice('warning', t(locale, 'modal.no_team'));
    }
    case 'export': {
      const file = await periodExportFile(deps, actor, { ...command, channelTeam }, locale);
      return { kind: 'file', filename: file.filename, content: file.content.toString('utf8'), text: file.comment };
    }
    case 'funnel': {
      const answer = await funnelAnswer(deps, funnelInput(command, actor, channelTeam), locale);
      return { kind: 'view', title: '', text: answer.text, charts: answer.charts };
    }
    default: {
      const requestId = context.typed.requestId ? `web:${context.typed.requestId}` : undefined;
      const text = await answerTextCommand(deps, command, {
        actor,
        locale,
        timeZone,
        medium: 'web',
        ...(requestId ? { requestId } : {}),
        ...(channelTeam ? { channelTeam } : {}),
      });
      return notice('info', text);
    }
  }
}

const notice = (tone: 'info' | 'warning' | 'error', text: string): WebAnswer => ({
  kind: 'notice',
  tone,
  title: '',
  text,
});
