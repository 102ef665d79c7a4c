import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';
import secureJson from 'secure-json-parse';

/** Requests older than this are refused (their signature could be a recording); a little clock skew ahead is allowed. */
export const MAX_AGE_SECONDS = 5 * 60;
export const MAX_FUTURE_SKEW_SECONDS = 60;

export interface LarkCallbackSecrets {
  verificationToken: string;
  /** Set in the developer console's "Encrypt Key": bodies are encrypted and every request signed. */
  encryptKey?: string;
}

/** The raw request, as the HTTP route hands it over: the signature covers these exact bytes. */
export interface LarkCallbackRequest {
  raw: string;
  timestamp: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

export type LarkPayload = Record<string, unknown>;
export type Verified = { ok: true; payload: LarkPayload } | { ok: false; status: 400 | 401; reason: string };

/** Hex SHA-256 of timestamp + nonce + encrypt key + body, as Lark signs callbacks. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, body: string): string {
  return createHash('sha256')
    .update(timestamp + nonce + encryptKey + body)
    .digest('hex');
}

/** AES-256-CBC with the SHA-256 of the encrypt key; the first 16 bytes of the message are the IV. */
export function decryptLark(encrypt: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const bytes = Buffer.from(encrypt, 'base64');
  if (bytes.length < 32 || bytes.length % 16 !== 0) throw new Error('ciphertext has the wrong length');
  const decipher = createDecipheriv('aes-256-cbc', key, bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8');
}

const isPlainObject = (v: unknown): v is LarkPayload => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseObject(text: string): LarkPayload | null {
  try {
    const value = secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
    return isPlainObject(value) ? value : null;
  } catch {
    return null;
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The verification token a callback carries: v2 events and card callbacks in `header`, older ones at the top. */
function tokenOf(payload: LarkPayload): unknown {
  const header = payload.header;
  return isPlainObject(header) && 'token' in header ? header.token : payload.token;
}

function checkSignature(request: LarkCallbackRequest, encryptKey: string, nowMs: number): string | null {
  const { timestamp, nonce, signature } = request;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return 'missing or malformed timestamp';
  if (!nonce || nonce.length > 128 || !signature) return 'missing signature headers';
  const age = Math.floor(nowMs / 1000) - Number(timestamp);
  if (age > MAX_AGE_SECONDS) return 'stale timestamp';
  if (-age > MAX_FUTURE_SKEW_SECONDS) return 'timestamp in the future';
  if (!sameText(signature, larkSignature(timestamp, nonce, encryptKey, request.raw))) return 'signature mismatch';
  return null;
}

/** The payload inside the body: decrypted when the app has an encrypt key. */
function openPayload(outer: LarkPayload, encryptKey: string | undefined): Verified {
  if (!encryptKey) {
    if ('encrypt' in outer)
      return { ok: false, status: 400, reason: 'body is encrypted but LARK_ENCRYPT_KEY is not set' };
    return { ok: true, payload: outer };
  }
  if (typeof outer.encrypt !== 'string') return { ok: false, status: 400, reason: 'body is not encrypted' };
  let inner: LarkPayload | null = null;
  try {
    inner = parseObject(decryptLark(outer.encrypt, encryptKey));
  } catch {
    inner = null;
  }
  return inner
    ? { ok: true, payload: inner }
    : { ok: false, status: 400, reason: 'body does not decrypt to a JSON object' };
}

/**
 * Everything the SDK's dispatcher leaves out, done on the raw bytes before it sees anything:
 * decryption, the signature and request age (when an encrypt key is set), and the verification
 * token. The console's URL check is the exception: Lark sends it unsigned (encrypted when a key is
 * set), and the official SDKs answer it after the token check alone, so it is answered so here.
 */
export function verifyLarkCallback(
  request: LarkCallbackRequest,
  secrets: LarkCallbackSecrets,
  nowMs: number,
): Verified {
  const outer = parseObject(request.raw);
  if (!outer) return { ok: false, status: 400, reason: 'body is not a JSON object' };
  const opened = openPayload(outer, secrets.encryptKey);
  if (!opened.ok) {
    // A wrong or missing signature explains a refusal better than what it signed.
    const problem = secrets.encryptKey ? checkSignature(request, secrets.encryptKey, nowMs) : null;
    return problem ? { ok: false, status: 401, reason: problem } : opened;
  }
  const payload = opened.payload;
  const token = tokenOf(payload);
  if (payload.type === 'url_verification') {
    // Its token, when it carries one, must be ours; the answer is only the echo of its challenge.
    if (token !== undefined && (typeof token !== 'string' || !sameText(token, secrets.verificationToken)))
      return { ok: false, status: 401, reason: 'verification token mismatch' };
    return { ok: true, payload };
  }
  if (secrets.encryptKey) {
    const problem = checkSignature(request, secrets.encryptKey, nowMs);
    if (problem) return { ok: false, status: 401, reason: problem };
  }
  if (typeof token !== 'string' || !sameText(token, secrets.verificationToken))
    return { ok: false, status: 401, reason: 'verification token mismatch' };
  return { ok: true, payload };
}
