import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { LarkCallbackRequest } from '../../src/messengers/lark/http/lark-request.js';
import { larkSignature } from '../../src/messengers/lark/http/lark-request.js';

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
