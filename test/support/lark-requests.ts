import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { LarkCallbackRequest } from '../../src/messengers/lark/http/lark-request.js';
import { larkSignature } from '../../src/messengers/lark/http/lark-request.js';
import { LARK_APP } from './leadpool.js';

/** Encrypts as Lark does: AES-256-CBC, key = SHA-256 of the encrypt key, IV prepended, base64. */
export function encryptLark(plain: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
}

/** A callback as Lark sends it with an encrypt key set: encrypted body, signature headers. */
export function signedLarkRequest(payload: unknown, encryptKey: string, nowMs = Date.now()): LarkCallbackRequest {
  const raw = JSON.stringify({ encrypt: encryptLark(JSON.stringify(payload), encryptKey) });
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomBytes(8).toString('hex');
  return { raw, timestamp, nonce, signature: larkSignature(timestamp, nonce, encryptKey, raw) };
}

let seq = 0;
const header = (eventType: string, eventId: string) => ({
  event_id: eventId,
  token: LARK_APP.token,
  create_time: String(Date.now()),
  event_type: eventType,
  tenant_key: 'tenant-test',
  app_id: LARK_APP.id,
});

/** A `card.action.trigger` callback (schema 2.0) for a button with `value`. */
export function cardClick(o: {
  openId: string;
  value: Record<string, string>;
  messageId?: string;
  chatId?: string;
  eventId?: string;
  formValue?: Record<string, unknown>;
}): Record<string, unknown> {
  return {
    schema: '2.0',
    header: header('card.action.trigger', o.eventId ?? `ev_click_${++seq}`),
    event: {
      operator: { open_id: o.openId, tenant_key: 'tenant-test' },
      token: `c-${seq}`,
      action: { tag: 'button', value: o.value, ...(o.formValue ? { form_value: o.formValue } : {}) },
      context: { open_message_id: o.messageId ?? 'om_unknown', open_chat_id: o.chatId ?? 'oc_alpha' },
    },
  };
}

/** An `im.message.receive_v1` event: text sent to the bot in a DM (p2p) or a group. */
export function textMessage(o: { openId: string; text: string; chatType?: 'p2p' | 'group'; eventId?: string }) {
  const id = ++seq;
  return {
    schema: '2.0',
    header: header('im.message.receive_v1', o.eventId ?? `ev_msg_${id}`),
    event: {
      sender: { sender_id: { open_id: o.openId }, sender_type: 'user', tenant_key: 'tenant-test' },
      message: {
        message_id: `om_in_${id}`,
        chat_id: o.chatType === 'group' ? 'oc_alpha' : `oc_p2p_${o.openId}`,
        chat_type: o.chatType ?? 'p2p',
        message_type: 'text',
        content: JSON.stringify({ text: o.text }),
        // Lark writes @mentions as @_user_N placeholders and lists them here.
        mentions: [...o.text.matchAll(/@_user_\d+/g)].map((m) => ({
          key: m[0],
          id: { open_id: 'ou_bot' },
          name: 'Leadpool',
        })),
        create_time: String(Date.now()),
      },
    },
  };
}

/** POSTs a callback to the app as Lark would (encrypted and signed); returns the status and JSON answer. */
export async function postLarkCallback(
  baseUrl: string,
  payload: unknown,
  request: LarkCallbackRequest = signedLarkRequest(payload, LARK_APP.key),
  /** Another app's callbacks are at /lark/events/<app id>. */
  path = '/lark/events',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(request.timestamp ? { 'x-lark-request-timestamp': request.timestamp } : {}),
      ...(request.nonce ? { 'x-lark-request-nonce': request.nonce } : {}),
      ...(request.signature ? { 'x-lark-signature': request.signature } : {}),
    },
    body: request.raw,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
