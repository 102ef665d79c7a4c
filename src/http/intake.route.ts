import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ZodError } from 'zod';
import { type CreateLeadDeps, createLead } from '../domain/leads/create-lead.js';
import { formatLeadRef, newLeadSchema } from '../domain/leads/lead.js';
import { BodyTooLargeError, readBody, sendJson } from './respond.js';

export const INTAKE_BODY_LIMIT = 64 * 1024;

export interface IntakeRouteDeps extends CreateLeadDeps {
  apiKey: string;
}

type FieldErrors = Record<string, string[]>;

function fieldErrors(error: ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.') || '(body)';
    const message =
      issue.code !== 'invalid_type'
        ? issue.message
        : issue.message.includes('received undefined')
          ? 'is required'
          : `must be a ${issue.expected}`;
    out[path] = [...(out[path] ?? []), message];
  }
  return out;
}

// Hashing first gives equal-length inputs, so the comparison time says nothing about the key.
function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** POST /api/leads: bearer key, JSON body validated field by field, one lead created in its team's pool. */
export async function handleIntake(req: IncomingMessage, res: ServerResponse, deps: IntakeRouteDeps): Promise<void> {
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (!token || !sameKey(token, deps.apiKey)) {
    sendJson(
      res,
      401,
      { error: 'unauthorized', message: 'Send the intake API key as "Authorization: Bearer <key>".' },
      { 'www-authenticate': 'Bearer' },
    );
    return;
  }
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    sendJson(res, 415, { error: 'unsupported_media_type', message: 'Send the lead as application/json.' });
    return;
  }
  let raw: string;
  try {
    raw = await readBody(req, INTAKE_BODY_LIMIT);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, { error: 'body_too_large', message: `The body must be at most ${INTAKE_BODY_LIMIT} bytes.` });
      return;
    }
    throw error;
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    sendJson(res, 400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
    return;
  }
  const parsed = newLeadSchema.safeParse(body);
  if (!parsed.success) {
    sendJson(res, 400, {
      error: 'validation_failed',
      message: 'Some fields are invalid.',
      fields: fieldErrors(parsed.error),
    });
    return;
  }
  if (!deps.teams.find(parsed.data.team)) {
    const known = deps.teams
      .all()
      .map((t) => t.id)
      .join(', ');
    sendJson(res, 400, {
      error: 'validation_failed',
      message: 'Some fields are invalid.',
      fields: { team: [`unknown team; known teams: ${known}`] },
    });
    return;
  }
  const lead = await createLead(deps, parsed.data);
  sendJson(res, 201, { id: lead.id, ref: formatLeadRef(lead.id), status: lead.status, team: lead.teamId });
}
