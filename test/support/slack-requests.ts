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
  return buttonClick(userId, 'lead.claim', String(leadId), responseUrl, channelId);
}

export async function postSigned(url: string, post: SignedPost): Promise<Response> {
  return fetch(url, { method: 'POST', headers: post.headers, body: post.body });
}

/** A button click on a message (a channel card or a DM), as Slack sends it. */
export function buttonClick(
  userId: string,
  actionId: string,
  value: string,
  responseUrl: string,
  channelId: string,
): Record<string, string> {
  const payload = {
    type: 'block_actions',
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy',
    container: { type: 'message', message_ts: '1700000001.000100', channel_id: channelId, is_ephemeral: false },
    trigger_id: '1.2.abc',
    team: { id: 'T0TEST', domain: 'test' },
    channel: { id: channelId, name: 'dm' },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: actionId,
        block_id: 'b',
        value,
        text: { type: 'plain_text', text: 'x' },
        action_ts: '1700000002.000300',
      },
    ],
  };
  return { payload: JSON.stringify(payload) };
}

/**
 * A button click in a view, shaped as Slack sends it (its own sample: the Home tab's
 * `block_actions`): `container.type` "view", the view itself, and no `response_url`, no channel and
 * no message. A modal's click differs only in `view.type`.
 */
export function viewButtonClick(
  userId: string,
  actionId: string,
  value: string,
  viewType: 'home' | 'modal' = 'home',
): Record<string, string> {
  const viewId = viewType === 'home' ? 'VHOME0001' : 'VMODAL001';
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy',
    container: { type: 'view', view_id: viewId },
    trigger_id: '987196394372.3485157640.efe5ca926abc9dadb0371534fff4326e',
    view: {
      id: viewId,
      team_id: 'T0TEST',
      type: viewType,
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: '1600000000.abcdefgh',
      title: { type: 'plain_text', text: 'Leadpool', emoji: true },
      clear_on_close: false,
      notify_on_close: false,
      close: null,
      submit: null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: 'A0TEST',
      external_id: '',
      app_installed_team_id: 'T0TEST',
      bot_id: 'B0TEST',
    },
    actions: [
      {
        action_id: actionId,
        block_id: 'desk',
        text: { type: 'plain_text', text: 'x', emoji: true },
        value,
        type: 'button',
        action_ts: '1600000000.000000',
      },
    ],
  };
  return { payload: JSON.stringify(payload) };
}

export function globalShortcut(userId: string, callbackId: string): Record<string, string> {
  const payload = {
    type: 'shortcut',
    token: 'legacy',
    action_ts: '1700000002.000300',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0TEST' },
    callback_id: callbackId,
    trigger_id: '1.2.shortcut',
  };
  return { payload: JSON.stringify(payload) };
}

/** Submits a modal that the app opened, with `values` typed into its inputs (select inputs by value). */
export function viewSubmission(
  userId: string,
  view: { callback_id: string; private_metadata: string; blocks: { block_id?: string; element?: { type: string } }[] },
  values: Record<string, string>,
  viewId = 'V0001',
): Record<string, string> {
  const state: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    // Only input blocks carry state; a header or section has no element.
    if (!block.element || !block.block_id) continue;
    const value = values[block.block_id];
    state[block.block_id] = {
      value:
        block.element.type === 'static_select'
          ? {
              type: 'static_select',
              selected_option: value ? { value, text: { type: 'plain_text', text: value } } : null,
            }
          : { type: 'plain_text_input', value: value ?? null },
    };
  }
  const payload = {
    type: 'view_submission',
    team: { id: 'T0TEST', domain: 'test' },
    user: { id: userId, username: userId.toLowerCase(), team_id: 'T0TEST' },
    api_app_id: 'A0TEST',
    token: 'legacy',
    trigger_id: '1.2.submit',
    view: { ...view, id: viewId, team_id: 'T0TEST', type: 'modal', hash: 'h', state: { values: state } },
    response_urls: [],
  };
  return { payload: JSON.stringify(payload) };
}

/** An Events API callback (JSON), signed as Slack signs it; `envelope` overrides its outer fields (team_id…). */
export function signedEvent(
  event: Record<string, unknown>,
  eventId = `Ev${Date.now()}`,
  envelope: Record<string, unknown> = {},
): SignedPost {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: 'T0TEST',
    api_app_id: 'A0TEST',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event,
    ...envelope,
  });
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp),
    },
  };
}
