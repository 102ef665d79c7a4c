import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SealedBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedBoxError';
  }
}

/**
 * Seals secrets at rest (AES-256-GCM) with a 32-byte key from the environment. Each sealed text is
 * bound to a label (its row's key): opened under another label it fails, so a row copied over
 * another never yields its tokens. A changed key fails clearly instead of yielding garbage.
 */
export class SealedBox {
  private readonly key: Buffer;

  constructor(key: string) {
    this.key = parseKey(key);
  }

  seal(plain: string, label: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(label, 'utf8'));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64')}`;
  }

  open(text: string, label: string): string {
    const [version, body] = text.split(':', 2);
    if (version !== VERSION || !body) throw new SealedBoxError(`${label}: not sealed by this version`);
    const bytes = Buffer.from(body, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedBoxError(`${label}: sealed text is too short`);
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(label, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedBoxError(`${label}: cannot be opened with this key (sealed with another key, or changed)`);
    }
  }
}

/** Whether `text` is a key a sealed box takes: for checking the environment before anything opens. */
export function isSealingKey(text: string): boolean {
  try {
    parseKey(text);
    return true;
  } catch {
    return false;
  }
}

/** 32 bytes, written as 64 hex digits or as base64 (`openssl rand -base64 32`). */
function parseKey(text: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32)
    throw new SealedBoxError('the key must be 32 bytes: 64 hex digits, or base64 (openssl rand -base64 32)');
  return key;
}
