import { createHmac, timingSafeEqual } from 'node:crypto';
import secureJson from 'secure-json-parse';
import { z } from 'zod';

/** Slack refuses requests older than five minutes; we also refuse ones dated ahead of our clock. */
export const MAX_AGE_SECONDS = 5 * 60;
export const MAX_FUTURE_SKEW_SECONDS = 60;

export type Verdict = { ok: true } | { ok: false; reason: string };

/** Checks `v0=` HMAC-SHA256 over `v0:{timestamp}:{raw body}` and that the timestamp is current. */
export function verifySignature(
  raw: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  signingSecret: string,
  nowMs: number,
): Verdict {
  const { timestamp, signature } = headers;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing or malformed timestamp' };
  if (!signature?.startsWith('v0=')) return { ok: false, reason: 'missing or malformed signature' };
  const nowSec = Math.floor(nowMs / 1000);
  const ts = Number(timestamp);
  if (nowSec - ts > MAX_AGE_SECONDS) return { ok: false, reason: 'stale timestamp' };
  if (ts - nowSec > MAX_FUTURE_SKEW_SECONDS) return { ok: false, reason: 'timestamp in the future' };
  const expected = Buffer.from(createHmac('sha256', signingSecret).update(`v0:${timestamp}:${raw}`).digest('hex'));
  const given = Buffer.from(signature.slice(3));
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature mismatch' };
  return { ok: true };
}

export type SlackBody = Record<string, unknown>;
export type Parsed = { ok: true; body: SlackBody } | { ok: false; reason: string };

const isPlainObject = (v: unknown): v is SlackBody => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJsonObject(text: string): Parsed {
  let value: unknown;
  try {
    // Prototype keys are refused rather than stripped: Slack never sends them.
    value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch (error) {
    return { ok: false, reason: `invalid JSON (${error instanceof Error ? error.message : 'parse error'})` };
  }
  return isPlainObject(value) ? { ok: true, body: value } : { ok: false, reason: 'JSON body is not an object' };
}

/** Commands arrive as form fields; interactions as a form field `payload` holding JSON; events as JSON. */
export function parseSlackBody(raw: string, contentType: string): Parsed {
  if (contentType.startsWith('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload !== null) return parseJsonObject(payload);
    const fields: SlackBody = Object.create(null);
    for (const [key, value] of form) fields[key] = value;
    return { ok: true, body: fields };
  }
  if (contentType.startsWith('application/json')) return parseJsonObject(raw);
  return { ok: false, reason: `unsupported content type "${contentType.slice(0, 60)}"` };
}

// Slack's ids (users U…/W…, views V…, events Ev…) are short and alphanumeric; anything else is forged.
const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/);
const user = z.looseObject({ id });
/** What Bolt itself reads from every interaction before any listener runs: it must be well formed. */
const interaction = {
  user,
  team: z.looseObject({ id }).nullable().optional(),
  enterprise: z.looseObject({ id }).nullable().optional(),
  channel: z.looseObject({ id }).optional(),
};
const callbackId = z.string().max(255);
/** Where replies go: commands and buttons on messages have one; a click in a view (the Home tab, a modal) has none. */
const responseUrl = z
  .string()
  .max(2000)
  .refine((text) => URL.canParse(text) && /^https?:$/.test(new URL(text).protocol));

/** The shapes Leadpool acts on, reduced to what routing needs; anything else is set aside. */
export const slackRequestSchema = z.union([
  z
    .looseObject({ type: z.literal('url_verification'), challenge: z.string().max(255) })
    .transform((b) => ({ kind: 'url_verification' as const, challenge: b.challenge })),
  z
    .looseObject({
      command: z.string().min(1).max(64),
      user_id: id,
      text: z.string().max(4000).optional(),
      response_url: responseUrl,
    })
    .transform((b) => ({ kind: 'command' as const, id: b.command })),
  z
    .looseObject({
      type: z.literal('block_actions'),
      ...interaction,
      response_url: responseUrl.optional(),
      actions: z.array(z.looseObject({ action_id: callbackId })).min(1),
    })
    .transform((b) => ({ kind: 'block_actions' as const, ids: b.actions.map((a) => a.action_id) })),
  z
    .looseObject({
      type: z.enum(['view_submission', 'view_closed']),
      ...interaction,
      view: z.looseObject({ id, callback_id: callbackId }),
    })
    .transform((b) => ({ kind: b.type, id: b.view.callback_id })),
  z
    .looseObject({ type: z.enum(['shortcut', 'message_action']), ...interaction, callback_id: callbackId })
    .transform((b) => ({ kind: 'shortcut' as const, id: b.callback_id })),
  z
    .looseObject({ type: z.literal('block_suggestion'), ...interaction, action_id: callbackId })
    .transform(() => ({ kind: 'block_suggestion' as const })),
  z
    .looseObject({ type: z.literal('event_callback'), event_id: id, event: z.looseObject({ type: z.string() }) })
    .transform((b) => ({ kind: 'event' as const, id: b.event.type })),
]);

export type SlackRequest = z.infer<typeof slackRequestSchema>;

/** What this app registered listeners for; a request for anything else is answered at once. */
export interface KnownSlackIds {
  commands: ReadonlySet<string>;
  actions: ReadonlySet<string>;
  views: ReadonlySet<string>;
  shortcuts: ReadonlySet<string>;
  events: ReadonlySet<string>;
}

/** Null when a listener exists for the request; otherwise why nothing will handle it. */
export function unhandledReason(request: SlackRequest, known: KnownSlackIds): string | null {
  switch (request.kind) {
    case 'url_verification':
      return null;
    case 'block_suggestion':
      return 'options request (Leadpool offers no external selects)';
    case 'command':
      return known.commands.has(request.id) ? null : 'unknown command';
    case 'block_actions':
      return request.ids.every((a) => known.actions.has(a)) ? null : 'unknown action id';
    case 'view_submission':
      return known.views.has(request.id) ? null : 'unknown view';
    case 'shortcut':
      return known.shortcuts.has(request.id) ? null : 'unknown shortcut';
    case 'view_closed':
      return 'view closed (nothing to do)';
    case 'event':
      return known.events.has(request.id) ? null : 'unknown event';
  }
}
