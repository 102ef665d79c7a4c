import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IntakeCoalescer } from '../domain/intake/intake-coalescer.js';
import { type IntakeChannel, type IntakeOutcome, intakeLeads } from '../domain/intake/intake-leads.js';
import type { IntakeStore, StoredResponse } from '../domain/intake/intake-store.js';
import type { PreparedLead } from '../domain/intake/prepare-lead.js';
import type { SourceCatalog } from '../domain/intake/sources.js';
import { validateLead } from '../domain/intake/validate-lead.js';
import { formatLeadRef } from '../domain/leads/lead.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import type { Clock } from '../domain/shared/clock.js';
import { type FieldErrors, presentFieldProblems } from '../messengers/shared/presenters/field-problems.presenter.js';
import { BodyTooLargeError, readBody, sendJson } from './respond.js';

export const INTAKE_BODY_LIMIT = 64 * 1024;
export const BATCH_BODY_LIMIT = 1024 * 1024;
export const BATCH_MAX_LEADS = 500;

export interface IntakeRouteDeps {
  store: IntakeStore;
  teams: TeamDirectory;
  sources: SourceCatalog;
  clock: Clock;
  apiKey: string;
  /** Shares one transaction among single-lead requests that arrive together. */
  coalescer: IntakeCoalescer;
}

// Hashing first gives equal-length inputs, so the comparison time says nothing about the key.
function sameKey(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const VALIDATION_FAILED = { error: 'validation_failed', message: 'Some fields are invalid.' };

/** The JSON answer for one lead's outcome; the same shape in single and batch answers. */
export function outcomeBody(outcome: IntakeOutcome, lead: PreparedLead): Record<string, unknown> {
  const ref = (id: number) => ({ id, ref: formatLeadRef(id) });
  const scored = { grade: lead.scoring.grade, score: lead.scoring.score, priority: lead.scoring.priority };
  switch (outcome.kind) {
    case 'created':
      return { outcome: outcome.kind, ...ref(outcome.leadId), status: 'pooled', team: lead.teamId, ...scored };
    case 'merged':
    case 'awaiting_owner':
      return {
        outcome: outcome.kind,
        ...ref(outcome.leadId),
        status: outcome.kind,
        team: lead.teamId,
        duplicateOf: ref(outcome.duplicateOf),
        ...scored,
      };
    case 'duplicate':
      return {
        outcome: outcome.kind,
        team: lead.teamId,
        duplicateOf: outcome.duplicateOf === null ? null : ref(outcome.duplicateOf),
        sameAsIndex: outcome.sameAsIndex,
      };
  }
}

function singleResponse(outcomes: IntakeOutcome[], leads: PreparedLead[]): StoredResponse {
  const outcome = outcomes[0] as IntakeOutcome;
  return { status: outcome.kind === 'created' ? 201 : 200, body: outcomeBody(outcome, leads[0] as PreparedLead) };
}

function batchResponse(outcomes: IntakeOutcome[], leads: PreparedLead[]): StoredResponse {
  const summary = { created: 0, merged: 0, awaiting_owner: 0, duplicate: 0 };
  for (const o of outcomes) summary[o.kind]++;
  return {
    status: 200,
    body: {
      results: outcomes.map((o, index) => ({ index, ...outcomeBody(o, leads[index] as PreparedLead) })),
      summary,
    },
  };
}

type Parsed<T> = { ok: true; value: T } | { ok: false };

async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  limit: number,
): Promise<Parsed<{ raw: string; body: unknown }>> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) {
    sendJson(res, 415, { error: 'unsupported_media_type', message: 'Send the lead as application/json.' });
    return { ok: false };
  }
  let raw: string;
  try {
    raw = await readBody(req, limit);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      sendJson(res, 413, { error: 'body_too_large', message: `The body must be at most ${limit} bytes.` });
      return { ok: false };
    }
    throw error;
  }
  try {
    return { ok: true, value: { raw, body: JSON.parse(raw) } };
  } catch {
    sendJson(res, 400, { error: 'invalid_json', message: 'The body is not valid JSON.' });
    return { ok: false };
  }
}

function idempotencyKeyOf(req: IncomingMessage, res: ServerResponse): Parsed<string | null> {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return { ok: true, value: null };
  const key = Array.isArray(header) ? header[0] : header;
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key)) {
    sendJson(res, 400, {
      error: 'invalid_idempotency_key',
      message: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    });
    return { ok: false };
  }
  return { ok: true, value: key };
}

function authorized(req: IncomingMessage, res: ServerResponse, apiKey: string): boolean {
  const auth = req.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (token && sameKey(token, apiKey)) return true;
  sendJson(
    res,
    401,
    { error: 'unauthorized', message: 'Send the intake API key as "Authorization: Bearer <key>".' },
    { 'www-authenticate': 'Bearer' },
  );
  return false;
}

/** Validates every lead; all must pass, or the answer lists each one's field errors and nothing is stored. */
function validateAll(
  raws: unknown[],
  deps: IntakeRouteDeps,
): { ok: true; leads: PreparedLead[] } | { ok: false; errors: { index: number; fields: FieldErrors }[] } {
  const leads: PreparedLead[] = [];
  const errors: { index: number; fields: FieldErrors }[] = [];
  raws.forEach((raw, index) => {
    const result = validateLead(raw, deps.teams, deps.sources);
    if (result.ok) leads.push(result.lead);
    else errors.push({ index, fields: presentFieldProblems(result.problems, 'en') });
  });
  return errors.length === 0 ? { ok: true, leads } : { ok: false, errors };
}

async function store(
  req: IncomingMessage,
  res: ServerResponse,
  deps: IntakeRouteDeps,
  leads: PreparedLead[],
  channel: IntakeChannel,
  raw: string,
  idempotencyKey: string | null,
  respond: (outcomes: IntakeOutcome[], leads: PreparedLead[]) => StoredResponse,
): Promise<void> {
  const idempotency = idempotencyKey
    ? {
        scope: `intake:${req.url?.split('?')[0]}`,
        key: idempotencyKey,
        requestHash: createHash('sha256').update(raw).digest('hex'),
        respond: (outcomes: IntakeOutcome[]) => respond(outcomes, leads),
      }
    : undefined;
  const result = await intakeLeads(deps, leads, channel, idempotency);
  if (result.kind === 'idempotency_conflict') {
    sendJson(res, 422, {
      error: 'idempotency_key_reused',
      message: 'This Idempotency-Key was already used with a different body. Use a new key for a new request.',
    });
    return;
  }
  if (result.kind === 'replay') {
    sendJson(res, result.response.status, result.response.body, { 'idempotent-replayed': 'true' });
    return;
  }
  const response = result.response ?? respond(result.outcomes, leads);
  sendJson(res, response.status, response.body);
}

/** POST /api/leads: one lead, validated field by field, cleaned, de-duplicated and stored. */
export async function handleIntake(req: IncomingMessage, res: ServerResponse, deps: IntakeRouteDeps): Promise<void> {
  if (!authorized(req, res, deps.apiKey)) return;
  const key = idempotencyKeyOf(req, res);
  if (!key.ok) return;
  const json = await readJson(req, res, INTAKE_BODY_LIMIT);
  if (!json.ok) return;
  const checked = validateAll([json.value.body], deps);
  if (!checked.ok) {
    sendJson(res, 400, { ...VALIDATION_FAILED, fields: checked.errors[0]?.fields ?? {} });
    return;
  }
  const [lead] = checked.leads as [PreparedLead];
  if (key.value) {
    // Keyed requests claim their key in their own transaction.
    await store(req, res, deps, checked.leads, 'api', json.value.raw, key.value, singleResponse);
    return;
  }
  const response = singleResponse([await deps.coalescer.submit(lead)], checked.leads);
  sendJson(res, response.status, response.body);
}

/** POST /api/leads/batch: `{ "leads": [...] }`, up to 500, stored all together or not at all. */
export async function handleBatchIntake(
  req: IncomingMessage,
  res: ServerResponse,
  deps: IntakeRouteDeps,
): Promise<void> {
  if (!authorized(req, res, deps.apiKey)) return;
  const key = idempotencyKeyOf(req, res);
  if (!key.ok) return;
  const json = await readJson(req, res, BATCH_BODY_LIMIT);
  if (!json.ok) return;
  const body = json.value.body as { leads?: unknown };
  if (!body || typeof body !== 'object' || !Array.isArray(body.leads) || body.leads.length === 0) {
    sendJson(res, 400, { ...VALIDATION_FAILED, fields: { leads: ['must be a non-empty array of leads'] } });
    return;
  }
  if (body.leads.length > BATCH_MAX_LEADS) {
    sendJson(res, 400, { ...VALIDATION_FAILED, fields: { leads: [`at most ${BATCH_MAX_LEADS} leads per request`] } });
    return;
  }
  const checked = validateAll(body.leads, deps);
  if (!checked.ok) {
    sendJson(res, 400, { ...VALIDATION_FAILED, items: checked.errors });
    return;
  }
  await store(req, res, deps, checked.leads, 'batch_api', json.value.raw, key.value, batchResponse);
}
