import type { Locale } from '../../../domain/leads/lead.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
import { errorFields, type Logger } from '../../../infra/logger.js';
import { fallbackText } from '../views/slack-text.js';
import type { SlackBody } from './slack-request.js';

/** Slack's own limit on a slash command's text; a longer one is refused with this said. */
export const COMMAND_TEXT_MAX = 4000;

/** Why a request of a shape Leadpool does not act on was set aside, as the log and the person are told it. */
export function setAsideReason(body: SlackBody): string {
  if (typeof body.command === 'string' && typeof body.text === 'string' && body.text.length > COMMAND_TEXT_MAX)
    return 'command too long';
  return 'unexpected shape';
}

const ANSWERS: Record<string, MessageKey> = {
  'command too long': 'edge.command_too_long',
  'unknown command': 'edge.unknown_command',
  'unknown action id': 'edge.unknown_button',
  'unexpected shape': 'edge.unreadable',
};

/**
 * Tells the person why their request did nothing, wherever Slack gives us a way: the request's
 * response_url (a command, a button on a message). Requests without one (a view's, an event) are
 * only logged. Never throws: the request was already answered.
 */
export async function answerSetAside(
  body: SlackBody,
  reason: string,
  deps: { localeOf: (userId: string) => Locale; log: Logger },
): Promise<void> {
  const url = typeof body.response_url === 'string' && URL.canParse(body.response_url) ? body.response_url : null;
  const key = ANSWERS[reason];
  if (!url || !key || !/^https?:$/.test(new URL(url).protocol)) return;
  const user = typeof body.user_id === 'string' ? body.user_id : ((body.user as { id?: unknown })?.id ?? '');
  const text = t(deps.localeOf(String(user)), key, {
    length: typeof body.text === 'string' ? body.text.length : 0,
    max: COMMAND_TEXT_MAX,
    command: typeof body.command === 'string' ? body.command.slice(0, 40) : '',
  });
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: fallbackText(text) }),
      signal: AbortSignal.timeout(5_000),
    });
    if (!res.ok) deps.log.warn('could not tell why a Slack request was set aside', { status: res.status, reason });
  } catch (error) {
    deps.log.warn('could not tell why a Slack request was set aside', { reason, ...errorFields(error) });
  }
}
