import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorFields } from '../../infra/logger.js';
import { actingAs, answerWebClick } from './clicks.js';
import type { PlaygroundEvent } from './inbox.js';
import {
  answerWebCommand,
  channelOf,
  deskOf,
  dmsOf,
  localeSchema,
  messageShowing,
  type PlaygroundDeps,
  playgroundIndex,
} from './playground.js';

export interface PlaygroundOptions {
  /** When set, the API answers only requests carrying it; when not, only this machine's. */
  token?: string | undefined;
  /** How often an open event stream hears the clock (and a dead connection is found). */
  tickMs?: number;
}

/** Nothing but the page's own files runs, loads or is framed; lead text is only ever text in it. */
export const PLAYGROUND_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': PLAYGROUND_CSP,
  'x-content-type-options': 'nosniff',
  // The token may be in the address: it is never sent on to another site.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const PAGE_DIR = join(import.meta.dirname, 'page');
const PAGE_FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/playground/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/playground/app.css': ['app.css', 'text/css; charset=utf-8'],
} as const;

/** An event stream that cannot keep up (a hung page) is closed rather than buffered without end. */
const STREAM_BACKLOG_LIMIT = 256 * 1024;

const asQuery = z.object({ as: z.string().min(1).max(200), locale: localeSchema.optional() });

/**
 * The playground's page and API: the page, people and teams, a channel, a desk, DMs, clicks,
 * commands, and a server-sent event stream of what changed.
 */
export function registerPlayground(app: FastifyInstance, deps: PlaygroundDeps, options: PlaygroundOptions): void {
  const files = Object.entries(PAGE_FILES).map(([path, [file, type]]) => ({
    path,
    type,
    body: readFileSync(join(PAGE_DIR, file)),
  }));
  for (const file of files)
    app.get(file.path, async (_request, reply) => reply.headers(SECURITY_HEADERS).type(file.type).send(file.body));
  // Browsers ask for it on their own: an empty answer, not a 404 in the page's console.
  app.get('/favicon.ico', async (_request, reply) => reply.headers(SECURITY_HEADERS).code(204).send());

  const streams = new Set<FastifyReply['raw']>();
  app.addHook('preClose', async () => {
    for (const raw of streams) raw.end();
  });

  app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      reply.headers(SECURITY_HEADERS);
      const refusal = refusalOf(request, options.token);
      if (refusal) return reply.code(403).send({ error: 'playground_closed', message: refusal });
    });
    api.get('/playground/api/index', async () => playgroundIndex(deps));
    api.get('/playground/api/channel/:team', async (request, reply) => {
      const { team } = request.params as { team: string };
      if (!deps.teams.find(team)) return reply.code(404).send({ error: 'not_found', message: `No team "${team}".` });
      return { ...(await channelOf(deps, team)), now: deps.clock.now().toISOString() };
    });
    api.get('/playground/api/card/:lead', async (request, reply) => {
      const lead = z.coerce
        .number()
        .int()
        .positive()
        .max(2_147_483_647)
        .safeParse((request.params as { lead: string }).lead);
      const shown = lead.success ? await messageShowing(deps, lead.data) : null;
      return shown ?? reply.code(404).send({ error: 'not_found', message: 'No message shows that lead.' });
    });
    api.get('/playground/api/desk', async (request, reply) => {
      const who = personOf(deps, request.query);
      if (!who.ok) return reply.code(who.status).send({ error: 'bad_request', message: who.error });
      return deskOf(deps, who.person, who.locale);
    });
    api.get('/playground/api/dms', async (request, reply) => {
      const who = personOf(deps, request.query);
      if (!who.ok) return reply.code(who.status).send({ error: 'bad_request', message: who.error });
      return { messages: dmsOf(deps, who.person) };
    });
    api.post('/playground/api/click', async (request, reply) =>
      answer(reply, await answerWebClick(deps, request.body)),
    );
    api.post('/playground/api/command', async (request, reply) =>
      answer(reply, await answerWebCommand(deps, request.body)),
    );
    api.get('/playground/api/events', (_request, reply) => openStream(deps, reply, streams, options));
  });
}

function answer(reply: FastifyReply, result: Awaited<ReturnType<typeof answerWebClick>>) {
  if (!result.ok) return reply.code(result.status).send({ error: 'bad_request', message: result.error });
  return result.answer;
}

function personOf(deps: PlaygroundDeps, query: unknown) {
  const acting = actingAs(deps, asQuery, query);
  return acting.ok ? { ...acting, locale: acting.input.locale ?? acting.person.locale } : acting;
}

/**
 * Why a request may not use the playground, or null. With a token it must carry it (a header, or
 * `token` in the address for the event stream); without one, it must come from this machine and
 * name it as its host (a page elsewhere that resolves its own name to 127.0.0.1 is refused).
 */
export function refusalOf(request: FastifyRequest, token: string | undefined): string | null {
  if (token) {
    const given = request.headers['x-playground-token'] ?? (request.query as { token?: unknown }).token;
    return typeof given === 'string' && sameSecret(given, token)
      ? null
      : 'This playground needs its token: open it as /?token=<PLAYGROUND_TOKEN>.';
  }
  if (!isLoopback(request.socket.remoteAddress ?? '') || !isLocalHost(request.headers.host ?? ''))
    return 'The playground answers this machine only (set PLAYGROUND_TOKEN to open it to others).';
  return null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const isLoopback = (address: string) =>
  address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
const isLocalHost = (host: string) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i.test(host);

/** Server-sent events: what changed (ids only), and the clock every `tickMs`. */
function openStream(
  deps: PlaygroundDeps,
  reply: FastifyReply,
  streams: Set<FastifyReply['raw']>,
  options: PlaygroundOptions,
): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': 'text/event-stream; charset=utf-8',
    connection: 'keep-alive',
  });
  streams.add(raw);
  const send = (event: PlaygroundEvent | { type: 'clock'; now: string }) => {
    if (raw.writableLength > STREAM_BACKLOG_LIMIT) {
      deps.log.warn('playground event stream fell behind: closed');
      raw.destroy();
      return;
    }
    raw.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  raw.write('retry: 1000\n\n');
  const tick = () => send({ type: 'clock', now: deps.clock.now().toISOString() });
  tick();
  const unsubscribe = deps.inbox.subscribe(send);
  const timer = setInterval(tick, options.tickMs ?? 1_000);
  const close = () => {
    clearInterval(timer);
    unsubscribe();
    streams.delete(raw);
  };
  // The response closes when the page goes away (or the server stops): the request's own close
  // may come as soon as its (empty) body is read.
  raw.on('close', close);
  raw.on('error', (error) => {
    deps.log.warn('playground event stream failed', errorFields(error));
    close();
  });
}
