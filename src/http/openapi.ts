import { z } from 'zod';
import { COMPANY_SIZES, leadInputSchema } from '../domain/intake/lead-input.js';
import { BATCH_BODY_LIMIT, BATCH_MAX_LEADS, INTAKE_BODY_LIMIT } from './intake.route.js';

const leadInput = (() => {
  const { $schema: _drop, ...schema } = z.toJSONSchema(leadInputSchema, { io: 'input', unrepresentable: 'any' });
  return schema;
})();

const errorBody = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string' },
    message: { type: 'string' },
    fields: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { index: { type: 'integer' }, fields: { $ref: '#/components/schemas/FieldErrors' } },
      },
    },
  },
};

const ref = { type: 'object', properties: { id: { type: 'integer' }, ref: { type: 'string', example: 'L-42' } } };

const outcome = {
  type: 'object',
  required: ['outcome', 'team'],
  properties: {
    outcome: {
      type: 'string',
      enum: ['created', 'merged', 'awaiting_owner', 'duplicate'],
      description:
        'created: new lead in the pool. merged: the same person as a pooled lead, attached to it. ' +
        'awaiting_owner: the same person as an owned lead; its owner is asked. duplicate: identical to a stored lead; nothing stored.',
    },
    id: { type: 'integer' },
    ref: { type: 'string' },
    status: { type: 'string' },
    team: { type: 'string' },
    duplicateOf: { oneOf: [ref, { type: 'null' }] },
    possibleDuplicateOf: {
      ...ref,
      description: 'created: a stored lead this one may be (a possible match), shown on its card',
    },
    match: {
      type: 'object',
      description:
        'merged and awaiting_owner: how the person was recognised. on: the key both leads share; certainty: exact ' +
        '(the same e-mail, phone, external id, or name and company) or possible (the same name at a company of a ' +
        'similar name: never merged; the owner is asked, or the lead is pooled with possibleDuplicateOf); via: the ' +
        'merged lead holding that key, when the match was followed from it to the lead it went into.',
      properties: {
        on: { type: 'string', enum: ['external', 'email', 'phone', 'name_company', 'name_core'] },
        certainty: { type: 'string', enum: ['exact', 'possible'] },
        via: { oneOf: [ref, { type: 'null' }] },
      },
    },
    sameAsIndex: { type: ['integer', 'null'], description: 'In a batch: the earlier item this one repeats.' },
    grade: { type: 'string', enum: ['poor', 'medium', 'good'] },
    score: { type: 'integer' },
    priority: { type: 'string', enum: ['low', 'medium', 'high'] },
    warnings: {
      type: 'object',
      additionalProperties: { type: 'array', items: { type: 'string' } },
      description:
        'What was taken but is worth a look, per field: a phone without a country code read as a number of ' +
        "another of the team's regions, or kept as typed because it could be one of several.",
    },
  },
};

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Up to 255 visible ASCII characters. A repeat with the same body gets the first answer (header ' +
    'Idempotent-Replayed: true); the same key with another body is refused with 422. Keys are kept at least 24 hours.',
  schema: { type: 'string', maxLength: 255 },
};

const errors = (limit: number) => ({
  '400': {
    description: 'Invalid JSON or field errors',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  },
  '401': { description: 'Missing or wrong API key' },
  '413': { description: `Body over ${limit} bytes` },
  '415': { description: 'Not application/json' },
  '422': { description: 'Idempotency-Key reused with a different body' },
});

/** The intake API described as OpenAPI 3.1, built from the same zod schema that validates requests. */
/** `PATCH …/signals`: behaviour totals sent after intake; the score is recomputed. */
function signalsPath(idParam: string, idDescription: string, teamParam?: string) {
  const param = (name: string, description: string) => ({
    name,
    in: 'path',
    required: true,
    description,
    schema: { type: 'string' },
  });
  return {
    patch: {
      summary: 'Send behaviour that came after intake (totals: a replay changes nothing); the score is recomputed',
      parameters: [...(teamParam ? [param(teamParam, 'The team id')] : []), param(idParam, idDescription)],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['signals'],
              additionalProperties: false,
              properties: { signals: (leadInput.properties as Record<string, unknown>).signals },
            },
          },
        },
      },
      responses: {
        '200': {
          description:
            'The score and priority now and before, with the rules behind the score; changed: false for a replay',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  id: { type: 'integer' },
                  ref: { type: 'string' },
                  changed: { type: 'boolean' },
                  score: { type: 'integer' },
                  priority: { type: 'string', enum: ['low', 'medium', 'high'] },
                  before: { type: 'object', properties: { score: { type: 'integer' }, priority: { type: 'string' } } },
                  why: {
                    type: 'array',
                    items: { type: 'object', properties: { rule: { type: 'string' }, points: { type: 'integer' } } },
                  },
                },
              },
            },
          },
        },
        '404': {
          description: 'No such lead',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
        ...errors(INTAKE_BODY_LIMIT),
      },
    },
  };
}

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Leadpool intake API',
    version: '1.0.0',
    description: `Send leads to a team's pool. Company sizes: ${COMPANY_SIZES.join(', ')} (or an employee count).`,
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      LeadInput: leadInput,
      Outcome: outcome,
      FieldErrors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      Error: errorBody,
    },
  },
  security: [{ bearer: [] }],
  paths: {
    '/api/leads': {
      post: {
        summary: 'Send one lead',
        parameters: [idempotencyHeader],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/LeadInput' } } },
        },
        responses: {
          '201': {
            description: 'Created in the pool',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Outcome' } } },
          },
          '200': {
            description: 'A duplicate: merged, awaiting its owner, or identical',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Outcome' } } },
          },
          ...errors(INTAKE_BODY_LIMIT),
        },
      },
    },
    '/api/leads/batch': {
      post: {
        summary: `Send up to ${BATCH_MAX_LEADS} leads, stored together or not at all`,
        parameters: [idempotencyHeader],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['leads'],
                properties: {
                  leads: {
                    type: 'array',
                    minItems: 1,
                    maxItems: BATCH_MAX_LEADS,
                    items: { $ref: '#/components/schemas/LeadInput' },
                  },
                },
              },
            },
          },
        },
        responses: {
          '200': {
            description: 'One result per lead, in order, and counts per outcome',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    results: {
                      type: 'array',
                      items: {
                        allOf: [
                          { $ref: '#/components/schemas/Outcome' },
                          { type: 'object', properties: { index: { type: 'integer' } } },
                        ],
                      },
                    },
                    summary: { type: 'object', additionalProperties: { type: 'integer' } },
                  },
                },
              },
            },
          },
          ...errors(BATCH_BODY_LIMIT),
        },
      },
    },
    '/api/leads/{ref}/signals': signalsPath('ref', 'The lead: 42 or L-42'),
    '/api/leads/external/{team}/{externalId}/signals': signalsPath(
      'externalId',
      'The id your system gave the lead',
      'team',
    ),
    '/healthz': {
      get: {
        summary: 'Database reachability, the outbox, and each messenger’s state',
        description:
          'status, database, outbox (pending, undelivered) and messengers: per messenger its state (on or off), transport, connection, the last delivery and error, and any rate limit it is waiting out (waitingUntil; for Lark also api.rateLimitedUntil). No secrets.',
        security: [],
        responses: { '200': { description: 'up' }, '503': { description: 'down' } },
      },
    },
  },
} as const;
