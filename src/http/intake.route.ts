import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IntakeChannel, type IntakeOutcome, intakeLeads } from '../domain/intake/intake-leads.js';
import type { IntakeStore, StoredResponse } from '../domain/intake/intake-store.js';
import type { PreparedLead } from '../domain/intake/prepare-lead.js';
import type { SourceCatalog } from '../domain/intake/sources.js';
import { validateLead } from '../domain/intake/validate-lead.js';
import { formatLeadRef } from '../domain/leads/lead.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import type { SignalsDeps } from '../domain/scoring/update-signals.js';
import type { Clock } from '../domain/shared/clock.js';
import { type FieldErrors, presentFieldProblems } from '../i18n/field-problems.js';
import type { IntakeCoalescer } from '../infra/process/intake-coalescer.js';
import { headerValue, sendJson } from './headers.js';
import { handleSignals } from './signals.route.js';

export const INTAKE_BODY_LIMIT = 64 * 1024;
export const BATCH_BODY_LIMIT = 1024 * 1024;
export const BATCH_MAX_LEADS = 500;

export interface IntakeRouteDeps {
  store: IntakeStore;
  teams: TeamDirectory;
  sources: SourceCatalog;
  clock: Clock;
  apiKey: string;
  /** Gives new leads of system-assigned pools their owners after intake (see `IntakeDeps`). */
  assignFromPools?: (leadIds: readonly number[]) => Promise<void>;
  /** Shares one transaction among single-lead requests that arrive together. */
  coalescer: IntakeCoalescer;
  /** Behaviour sent after intake (`PATCH …/signals`); without it those routes are not offered. */
  signals?: SignalsDeps;
  /** Counts each lead's outcome by its source, for the metrics ('invalid' for a refused body). */
  countIntake?: (source: string, outcome: string) => void;
}

function countOutcomes(
  deps: IntakeRouteDeps,
  outcomes: readonly IntakeOutcome[],
  leads: readonly PreparedLead[],
): void {
  for (const [i, outcome] of outcomes.entries()) deps.countIntake?.(leads[i]?.source ?? 'none', outcome.kind);
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
  const scored = {
    grade: lead.scoring.grade,
    score: lead.scoring.score,
    priority: lead.scoring.priority,
    ...(lead.warnings.length > 0 ? { warnings: presentFieldProblems(lead.warnings, 'en') } : {}),
  };
  switch (outcome.kind) {
    case 'created':
      return {
        outcome: outcome.kind,
        ...ref(outcome.leadId),
        status: 'pooled',
        team: lead.teamId,
        ...(outcome.possible
          ? {
              possibleDuplicateOf: ref(outcome.possible.duplicateOf),
              match: { on: outcome.possible.match.on, certainty: 'possible', via: null },
            }
          : {}),
        ...scored,
      };
    case 'merged':
    case 'awaiting_owner':
      return {
        outcome: outcome.kind,
        ...ref(outcome.leadId),
        status: outcome.kind,
        team: lead.teamId,
        duplicateOf: ref(outcome.duplicateOf),
        match: {
          on: outcome.match.on,
          certainty: outcome.match.certainty,
          via: outcome.match.via === null ? null : ref(outcome.match.via),
        },
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

/** The JSON body (Fastify has checked its type and size); 415 when it was not sent as JSON. */
function jsonBody(request: FastifyRequest, reply: FastifyReply): Parsed<{ raw: string; body: unknown }> {
  if (request.rawBody === undefined) {
    sendJson(reply, 415, { error: 'unsupported_media_type', message: 'Send the lead as application/json.' });
    return { ok: false };
  }
  return { ok: true, value: { raw: request.rawBody, body: request.body } };
}

function idempotencyKeyValid(request: FastifyRequest, reply: FastifyReply): boolean {
  const key = headerValue(request.headers['idempotency-key']);
  if (key === undefined || (key && key.length <= 255 && /^[\x21-\x7e]+$/.test(key))) return true;
  sendJson(reply, 400, {
    error: 'invalid_idempotency_key',
    message: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
  });
  return false;
}

/** The Idempotency-Key, already checked by the route's onRequest hook. */
const validKey = (request: FastifyRequest) => headerValue(request.headers['idempotency-key']) ?? null;

function authorized(request: FastifyRequest, reply: FastifyReply, apiKey: string): boolean {
  const auth = request.headers.authorization ?? '';
  const token = auth.startsWith('Bearer ') ? auth.slice(7).trim() : '';
  if (token && sameKey(token, apiKey)) return true;
  sendJson(
    reply,
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
  request: FastifyRequest,
  reply: FastifyReply,
  deps: IntakeRouteDeps,
  leads: PreparedLead[],
  channel: IntakeChannel,
  raw: string,
  idempotencyKey: string | null,
  respond: (outcomes: IntakeOutcome[], leads: PreparedLead[]) => StoredResponse,
) {
  const idempotency = idempotencyKey
    ? {
        scope: `intake:${request.routeOptions.url}`,
        key: idempotencyKey,
        requestHash: createHash('sha256').update(raw).digest('hex'),
        respond: (outcomes: IntakeOutcome[]) => respond(outcomes, leads),
      }
    : undefined;
  const result = await intakeLeads(deps, leads, channel, idempotency);
  if (result.kind === 'idempotency_conflict')
    return sendJson(reply, 422, {
      error: 'idempotency_key_reused',
      message: 'This Idempotency-Key was already used with a different body. Use a new key for a new request.',
    });
  if (result.kind === 'replay')
    return sendJson(reply, result.response.status, result.response.body, { 'idempotent-replayed': 'true' });
  countOutcomes(deps, result.outcomes, leads);
  const response = result.response ?? respond(result.outcomes, leads);
  return sendJson(reply, response.status, response.body);
}

/** POST /api/leads: one lead, validated field by field, cleaned, de-duplicated and stored. */
async function handleIntake(request: FastifyRequest, reply: FastifyReply, deps: IntakeRouteDeps) {
  const json = jsonBody(request, reply);
  if (!json.ok) return reply;
  const checked = validateAll([json.value.body], deps);
  if (!checked.ok) {
    deps.countIntake?.('none', 'invalid');
    return sendJson(reply, 400, { ...VALIDATION_FAILED, fields: checked.errors[0]?.fields ?? {} });
  }
  const [lead] = checked.leads as [PreparedLead];
  const key = validKey(request);
  // Keyed requests claim their key in their own transaction.
  if (key) return store(request, reply, deps, checked.leads, 'api', json.value.raw, key, singleResponse);
  const outcome = await deps.coalescer.submit(lead);
  countOutcomes(deps, [outcome], checked.leads);
  const response = singleResponse([outcome], checked.leads);
  return sendJson(reply, response.status, response.body);
}

/** POST /api/leads/batch: `{ "leads": [...] }`, up to 500, stored all together or not at all. */
async function handleBatchIntake(request: FastifyRequest, reply: FastifyReply, deps: IntakeRouteDeps) {
  const json = jsonBody(request, reply);
  if (!json.ok) return reply;
  const body = json.value.body as { leads?: unknown };
  if (!body || typeof body !== 'object' || !Array.isArray(body.leads) || body.leads.length === 0)
    return sendJson(reply, 400, { ...VALIDATION_FAILED, fields: { leads: ['must be a non-empty array of leads'] } });
  if (body.leads.length > BATCH_MAX_LEADS)
    return sendJson(reply, 400, {
      ...VALIDATION_FAILED,
      fields: { leads: [`at most ${BATCH_MAX_LEADS} leads per request`] },
    });
  const checked = validateAll(body.leads, deps);
  if (!checked.ok) return sendJson(reply, 400, { ...VALIDATION_FAILED, items: checked.errors });
  return store(request, reply, deps, checked.leads, 'batch_api', json.value.raw, validKey(request), batchResponse);
}

const methodNotAllowed = async (_request: FastifyRequest, reply: FastifyReply) =>
  sendJson(reply, 405, { error: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });

/** The intake API. The key is checked before the body is read, so strangers cannot make us parse. */
export function registerIntakeRoutes(app: FastifyInstance, deps: IntakeRouteDeps): void {
  app.register(async (scope) => {
    scope.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'POST' && request.method !== 'PATCH') return;
      if (!authorized(request, reply, deps.apiKey) || !idempotencyKeyValid(request, reply)) return reply;
    });
    scope.post('/api/leads', (request, reply) => handleIntake(request, reply, deps));
    scope.post('/api/leads/batch', { bodyLimit: BATCH_BODY_LIMIT }, (request, reply) =>
      handleBatchIntake(request, reply, deps),
    );
    for (const url of ['/api/leads', '/api/leads/batch'])
      scope.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url, handler: methodNotAllowed });
    const signals = deps.signals;
    if (signals) {
      scope.patch<{ Params: { ref: string } }>('/api/leads/:ref/signals', (request, reply) =>
        handleSignals(request, reply, signals),
      );
      scope.patch<{ Params: { team: string; externalId: string } }>(
        '/api/leads/external/:team/:externalId/signals',
        (request, reply) => handleSignals(request, reply, signals),
      );
    }
  });
}
