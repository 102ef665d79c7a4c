import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { headerValue } from './headers.js';

/** What the Lark adapter is handed for each callback: the raw body and the headers it verifies. */
export interface LarkEventsRequest {
  raw: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

/** Provided by the Lark adapter in HTTP mode; this server only carries bytes to it. */
export type LarkEventsHandler = (request: LarkEventsRequest) => Promise<{ status: number; body: unknown }>;

/** Events and card callbacks are small; a form submission is the largest. */
export const LARK_BODY_LIMIT = 512 * 1024;

/** POST /lark/events (events and card callbacks): the body is kept as received, for the signature. */
export function registerLarkRoute(
  app: FastifyInstance,
  handle: LarkEventsHandler | null,
  /** Each app's own callbacks, at /lark/events/<app id>: an encrypted body does not say whose it is. */
  handlerOf: (appId: string) => LarkEventsHandler | null = () => null,
): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: LARK_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    const serve = async (handle: LarkEventsHandler | null, request: FastifyRequest, reply: FastifyReply) => {
      if (!handle)
        return reply
          .code(404)
          .send({ error: 'lark_off', message: 'Lark HTTP callbacks are not enabled for this app on this instance.' });
      const answer = await handle({
        raw: typeof request.body === 'string' ? request.body : '',
        timestamp: headerValue(request.headers['x-lark-request-timestamp']),
        nonce: headerValue(request.headers['x-lark-request-nonce']),
        signature: headerValue(request.headers['x-lark-signature']),
      });
      return reply.code(answer.status).send(answer.body);
    };
    scope.post('/lark/events', { bodyLimit: LARK_BODY_LIMIT }, (request, reply) => serve(handle, request, reply));
    scope.post<{ Params: { appId: string } }>('/lark/events/:appId', { bodyLimit: LARK_BODY_LIMIT }, (request, reply) =>
      serve(handlerOf(request.params.appId), request, reply),
    );
  });
}
