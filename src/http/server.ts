import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { errorFields, type Logger } from '../infra/logger.js';
import { INTAKE_BODY_LIMIT, type IntakeRouteDeps, registerIntakeRoutes } from './intake.route.js';
import { type LarkEventsHandler, registerLarkRoute } from './lark.route.js';
import { openApiDocument } from './openapi.js';
import {
  registerSlackInstallRoutes,
  registerSlackRoute,
  type SlackEventsHandler,
  type SlackInstallHandlers,
} from './slack.route.js';

export interface HttpServerDeps {
  intake: IntakeRouteDeps;
  pingDatabase(): Promise<boolean>;
  /** Messages waiting to be sent, and given up on (admins see and retry those with `/lead admin outbox`). */
  outboxHealth?(): Promise<{ pending: number; dead: number }>;
  /** Each messenger's state (on or off, its connection, last error, rate limit): no secrets. */
  messengersHealth?(): Record<string, Record<string, unknown>>;
  /** The Slack adapter's handler of POST /slack/events, when Slack runs in HTTP mode. */
  slackEvents: SlackEventsHandler | null;
  /** GET /slack/install and /slack/oauth_redirect, when Slack serves many workspaces. */
  slackInstall?: SlackInstallHandlers | null;
  /** The Lark adapter's handler of POST /lark/events, when Lark runs on HTTP callbacks. */
  larkEvents?: LarkEventsHandler | null;
  /** The handler of POST /lark/events/<app id>, for each Lark app served (several apps, one per tenant). */
  larkEventsOf?: (appId: string) => LarkEventsHandler | null;
  /** Whether an error means the database is out of reach for now (answered 503 with Retry-After). */
  isUnavailable?(error: unknown): boolean;
  /** What keeps this instance from serving (GET /readyz): empty when it is ready. */
  unready?(): Promise<string[]>;
  /** GET /metrics, and every handler's latency. */
  metrics?: {
    text(): Promise<string>;
    contentType: string;
    observe(method: string, route: string, status: number, seconds: number): void;
  };
  /** Adds the playground's page and API, when it is on. */
  playground?: ((app: FastifyInstance) => void) | null;
  log: Logger;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The body as received, for hashing (Idempotency-Key) and signatures. */
    rawBody?: string;
  }
}

/** How long a sender is asked to wait before sending again while the database is out of reach. */
const RETRY_AFTER_S = 5;

/** Refused body parts get their own error, so the answer can say which rule the body broke. */
class InvalidJsonError extends Error {
  readonly statusCode = 400;
  readonly code = 'LP_INVALID_JSON';
}

/**
 * The one HTTP server: the intake API, health, the OpenAPI document, and the Slack and Lark callback endpoints.
 * Fastify enforces body limits (declared or chunked) and content types; JSON with prototype keys
 * is refused; every error leaves as a JSON answer with a code, never as a dropped connection.
 */
export function createHttpServer(deps: HttpServerDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: INTAKE_BODY_LIMIT, return503OnClosing: true });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, secureJson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const forbidden = error instanceof Error && error.message.includes('forbidden prototype property');
      const reason = forbidden
        ? 'The body has a forbidden key (__proto__, or constructor.prototype).'
        : 'The body is not valid JSON.';
      done(new InvalidJsonError(reason), undefined);
    }
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = clientError(error, request.routeOptions.bodyLimit ?? INTAKE_BODY_LIMIT);
    if (answer) return reply.code(answer.status).send(answer.body);
    if (deps.isUnavailable?.(error)) {
      deps.log.warn('database out of reach: request answered 503', { path: request.url.split('?')[0] });
      return reply
        .code(503)
        .header('retry-after', String(RETRY_AFTER_S))
        .send({
          error: 'database_unavailable',
          message: `The database cannot be reached right now, so nothing was stored. Send the same request again in ${RETRY_AFTER_S} seconds (with the same Idempotency-Key, if you sent one).`,
        });
    }
    deps.log.error('http request failed', { path: request.url.split('?')[0], ...errorFields(error) });
    return reply.code(500).send({ error: 'internal', message: 'Something went wrong on our side.' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ error: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` }),
  );

  const metrics = deps.metrics;
  if (metrics) {
    // By route pattern, not address: the label's values stay few.
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
    app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()));
  }
  registerIntakeRoutes(app, deps.intake);
  registerSlackRoute(app, deps.slackEvents);
  registerSlackInstallRoutes(app, deps.slackInstall ?? null);
  registerLarkRoute(app, deps.larkEvents ?? null, deps.larkEventsOf);
  deps.playground?.(app);
  app.get('/api/openapi.json', async () => openApiDocument);
  // Readiness, for a load balancer: 503 with the reasons while this instance cannot serve.
  app.get('/readyz', async (_request, reply) => {
    const reasons = (await deps.unready?.()) ?? [];
    return reply
      .code(reasons.length > 0 ? 503 : 200)
      .send({ status: reasons.length > 0 ? 'not_ready' : 'ready', reasons });
  });
  app.get('/healthz', async (_request, reply) => {
    const up = await deps.pingDatabase();
    const outbox = up && deps.outboxHealth ? await deps.outboxHealth().catch(() => null) : null;
    return reply.code(up ? 200 : 503).send({
      status: up ? 'ok' : 'degraded',
      database: up ? 'up' : 'down',
      ...(outbox ? { outbox: { pending: outbox.pending, undelivered: outbox.dead } } : {}),
      ...(deps.messengersHealth ? { messengers: deps.messengersHealth() } : {}),
    });
  });
  return app;
}

/** The answer to an error the client caused; null for our own faults. */
function clientError(error: FastifyError, bodyLimit: number): { status: number; body: Record<string, unknown> } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: { error: 'body_too_large', message: `The body must be at most ${bodyLimit} bytes.` },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: 'unsupported_media_type', message: 'Send the body as application/json.' } };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid_json', message: 'The body is empty.' } };
    case 'LP_INVALID_JSON':
      return { status: 400, body: { error: 'invalid_json', message: error.message } };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500)
    return { status, body: { error: 'bad_request', message: error.message.slice(0, 200) } };
  return null;
}
