import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';

export function sign(body: string, timestamp: number, secret = SIGNING_SECRET): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPost {
  body: string;
  headers: Record<string, string>;
}

export function signedForm(
  fields: Record<string, string>,
  opts: { timestamp?: number; secret?: string } = {},
): SignedPost {
  const body = new URLSearchParams(fields).toString();
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp, opts.secret),
    },
  };
}

export function slashCommand(userId: string, text: string, responseUrl: string): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T0TEST',
    team_domain: 'test',
    channel_id: 'C0ALPHA',
    channel_name: 'leads',
    user_id: userId,
    user_name: userId.toLowerCase(),
    command: '/lead',
    text,
    api_app_id: 'A0TEST',
    response_url: responseUrl,
    trigger_id: '1.2.abc',
  };
}

export function claimClick(
  userId: string,
  leadId: number,
  responseUrl: string,
  channelId = 'C0ALPHA',
): Record<string, string> {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000001.000100', channel_id: channelId, is_ephemeral: false },
    trigger_id: '1.2.abc',
    team: { id: 'T0TEST', domain: 'test' },
    channel: { id: channelId, name: 'leads' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: 'lead.claim',
        block_id: 'lead_actions',
        value: String(leadId),
        text: { type: 'plain_text', text: 'Claim' },
        action_ts: '1700000002.000300',
      },
    ],
  };
  return { payload: JSON.stringify(payload) };
}

export async function postSigned(url: string, post: SignedPost): Promise<Response> {
  return fetch(url, { method: 'POST', headers: post.headers, body: post.body });
}
