import type { FastifyReply } from 'fastify';
/** The first value of a request header that may have been sent more than once. */
export const headerValue = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** A JSON answer with its status and any extra headers. */
export function sendJson(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string> = {}) {
  return reply.code(status).headers(headers).send(body);
}
