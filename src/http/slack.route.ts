import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { headerValue } from './headers.js';

/** What the Slack adapter is handed for each request: the raw body and the headers it verifies. */
export interface SlackEventsRequest {
  raw: string;
  contentType: string;
  timestamp: string | undefined;
  signature: string | undefined;
  retryNum: number | undefined;
  retryReason: string | undefined;
}

/** Provided by the Slack adapter at start-up; this server only carries bytes to it. */
export type SlackEventsHandler = (request: SlackEventsRequest) => Promise<{ status: number; body: unknown }>;

/** Modal submissions carry the whole view (up to 250 kB); nothing Slack sends is larger. */
export const SLACK_BODY_LIMIT = 1024 * 1024;

/** POST /slack/events: the body is kept as received, since the signature covers its exact bytes. */
export function registerSlackRoute(app: FastifyInstance, handle: SlackEventsHandler | null): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: SLACK_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    scope.post('/slack/events', { bodyLimit: SLACK_BODY_LIMIT }, async (request, reply) => {
      if (!handle)
        return reply.code(404).send({ error: 'slack_off', message: 'Slack is not enabled on this instance.' });
      const retry = headerValue(request.headers['x-slack-retry-num']);
      const answer = await handle({
        raw: typeof request.body === 'string' ? request.body : '',
        contentType: (headerValue(request.headers['content-type']) ?? '').toLowerCase(),
        timestamp: headerValue(request.headers['x-slack-request-timestamp']),
        signature: headerValue(request.headers['x-slack-signature']),
        retryNum: retry && /^\d{1,3}$/.test(retry) ? Number(retry) : undefined,
        retryReason: headerValue(request.headers['x-slack-retry-reason'])?.slice(0, 60),
      });
      reply.code(answer.status);
      if (answer.body === null || answer.body === undefined || answer.body === '') return reply.send();
      if (typeof answer.body === 'string') return reply.type('text/plain; charset=utf-8').send(answer.body);
      return reply.send(answer.body);
    });
  });
}

/** The Slack adapter's install flow: each handler writes its own answer (a redirect, or a page). */
export interface SlackInstallHandlers {
  install(req: IncomingMessage, res: ServerResponse): Promise<void>;
  redirect(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** GET /slack/install and GET /slack/oauth_redirect, when the install flow is on. */
export function registerSlackInstallRoutes(app: FastifyInstance, flow: SlackInstallHandlers | null): void {
  if (!flow) return;
  const handOver =
    (handle: SlackInstallHandlers['install']) => async (request: FastifyRequest, reply: FastifyReply) => {
      // Slack's SDK answers on the raw response: Fastify must not answer too.
      reply.hijack();
      await handle(request.raw, reply.raw);
    };
  app.get('/slack/install', handOver(flow.install));
  app.get('/slack/oauth_redirect', handOver(flow.redirect));
}
