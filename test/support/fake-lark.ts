import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type WebSocket, WebSocketServer } from 'ws';
import { readBody } from './read-body.js';
import { until } from './until.js';

export interface LarkCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  /** The tenant access token the call carried (Authorization: Bearer …), or ''. */
  token: string;
  at: number;
}

/** A sent message as the fake keeps it: card content parsed. */
export interface LarkMessage {
  messageId: string;
  receiveIdType: string;
  receiveId: string;
  card: Record<string, unknown>;
  uuid: string | undefined;
  /** The tenant access token it was sent with: `t-<app id>`. */
  token: string;
}

// --- The long connection's frames: protobuf `pbbp2.Frame`, encoded by hand (fields 1–9). -----------

interface Frame {
  seqId: number;
  logId: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload: Buffer;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return Buffer.from(out);
}
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const bytesField = (field: number, data: Buffer) => Buffer.concat([tag(field, 2), varint(data.length), data]);

export function encodeFrame(f: Frame): Buffer {
  const headers = f.headers.map((h) =>
    bytesField(5, Buffer.concat([bytesField(1, Buffer.from(h.key)), bytesField(2, Buffer.from(h.value))])),
  );
  return Buffer.concat([
    tag(1, 0),
    varint(f.seqId),
    tag(2, 0),
    varint(f.logId),
    tag(3, 0),
    varint(f.service),
    tag(4, 0),
    varint(f.method),
    ...headers,
    bytesField(8, f.payload),
  ]);
}

function readVarint(buf: Buffer, at: number): [number, number] {
  let result = 0n;
  let shift = 0n;
  let pos = at;
  for (;;) {
    const byte = buf[pos++] as number;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [Number(result), pos];
    shift += 7n;
  }
}

function fields(buf: Buffer): { field: number; value: number | Buffer }[] {
  const out: { field: number; value: number | Buffer }[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const [key, next] = readVarint(buf, pos);
    pos = next;
    const field = key >> 3;
    if ((key & 7) === 0) {
      const [value, after] = readVarint(buf, pos);
      out.push({ field, value });
      pos = after;
    } else {
      const [length, after] = readVarint(buf, pos);
      out.push({ field, value: buf.subarray(after, after + length) });
      pos = after + length;
    }
  }
  return out;
}

export function decodeFrame(buf: Buffer): Frame {
  const frame: Frame = { seqId: 0, logId: 0, service: 0, method: 0, headers: [], payload: Buffer.alloc(0) };
  for (const { field, value } of fields(buf)) {
    if (field === 1) frame.seqId = value as number;
    else if (field === 2) frame.logId = value as number;
    else if (field === 3) frame.service = value as number;
    else if (field === 4) frame.method = value as number;
    else if (field === 5) {
      const parts = fields(value as Buffer);
      const text = (n: number) => (parts.find((p) => p.field === n)?.value as Buffer | undefined)?.toString() ?? '';
      frame.headers.push({ key: text(1), value: text(2) });
    } else if (field === 8) frame.payload = value as Buffer;
  }
  return frame;
}

/**
 * A local stand-in for Lark's open platform, which the real SDK is pointed at (`domain`): tenant
 * token, message create and patch, image upload, and the long connection's endpoint and WebSocket.
 * It records every call, de-duplicates sends by `uuid` as Lark does, and can answer rate limits
 * (99991400) or fail on demand.
 */
export class FakeLark {
  readonly calls: LarkCall[] = [];
  readonly messages: LarkMessage[] = [];
  readonly patches: { messageId: string; card: Record<string, unknown> }[] = [];
  /** Multipart uploads (files), as raw text. */
  readonly uploads: string[] = [];
  url = '';
  /**
   * Apps by id, when a test serves several: a token is given only for the app's own secret, and a
   * message only to its own chats (DMs go anywhere). Empty: any app, any chat.
   */
  readonly apps = new Map<string, { secret: string; chats: string[] }>();
  /** Answer the next n message calls with HTTP 400 code 99991400. */
  rateLimitNext = 0;
  /** While set, message calls fail with HTTP 500 (an outage). */
  down = false;
  /** Holds each answer this long after the message is sent (a slow network, or time to kill the sender). */
  answerDelayMs = 0;
  private server: Server | null = null;
  private wss: WebSocketServer | null = null;
  private sockets: WebSocket[] = [];
  private seq = 0;
  private readonly byUuid = new Map<string, string>();
  private readonly waiting = new Map<string, (payload: Record<string, unknown>) => void>();

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake');
      // A file upload is multipart: kept as text, for tests to look into.
      const multipart = String(req.headers['content-type'] ?? '').startsWith('multipart/');
      if (multipart) this.uploads.push(raw);
      const body = raw && !multipart ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
      this.calls.push({
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        body,
        token,
        at: performance.now(),
      });
      const [status, answer] = this.answer(req.method ?? '', url, body, token);
      if (this.answerDelayMs > 0 && url.pathname.startsWith('/open-apis/im/'))
        await new Promise((r) => setTimeout(r, this.answerDelayMs));
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    this.wss = new WebSocketServer({ server: this.server, path: '/ws' });
    this.wss.on('connection', (socket) => {
      this.sockets.push(socket);
      socket.on('message', (data: Buffer) => this.onFrame(data));
      socket.on('close', () => {
        this.sockets = this.sockets.filter((s) => s !== socket);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  private answer(method: string, url: URL, body: Record<string, unknown>, token = ''): [number, unknown] {
    const path = url.pathname;
    if (path === '/open-apis/auth/v3/tenant_access_token/internal') {
      const app = this.apps.get(String(body.app_id));
      if (this.apps.size > 0 && app?.secret !== body.app_secret)
        return [200, { code: 10014, msg: 'app secret invalid' }];
      return [200, { code: 0, msg: 'ok', tenant_access_token: `t-${String(body.app_id)}`, expire: 7200 }];
    }
    if (path === '/callback/ws/endpoint') {
      const ws = `${this.url.replace('http', 'ws')}/ws?device_id=fake&service_id=7`;
      return [
        200,
        {
          code: 0,
          data: {
            URL: ws,
            ClientConfig: { PingInterval: 120, ReconnectCount: 3, ReconnectInterval: 1, ReconnectNonce: 0 },
          },
        },
      ];
    }
    if (path === '/open-apis/im/v1/images') return [200, { code: 0, data: { image_key: `img_${++this.seq}` } }];
    if (path === '/open-apis/im/v1/files') return [200, { code: 0, data: { file_key: `file_${++this.seq}` } }];
    if (!path.startsWith('/open-apis/im/v1/messages')) return [404, { code: 404, msg: `no fake for ${path}` }];
    if (this.down) return [500, { code: 500, msg: 'internal error' }];
    if (this.rateLimitNext > 0) {
      this.rateLimitNext--;
      return [400, { code: 99991400, msg: 'request trigger frequency limit' }];
    }
    const chat = String(body.receive_id ?? '');
    const own = this.apps.get(token.slice(2));
    if (method === 'POST' && this.apps.size > 0 && chat.startsWith('oc_') && !own?.chats.includes(chat))
      return [400, { code: 230002, msg: 'Bot/User can NOT be out of the chat.' }];
    if (method === 'POST') return [200, { code: 0, msg: 'success', data: this.create(url, body, token) }];
    if (method === 'PATCH') {
      const messageId = path.split('/').pop() ?? '';
      this.patches.push({ messageId, card: JSON.parse(String(body.content)) as Record<string, unknown> });
      return [200, { code: 0, msg: 'success', data: {} }];
    }
    return [405, { code: 405, msg: 'method' }];
  }

  private create(url: URL, body: Record<string, unknown>, token: string): Record<string, string> {
    const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
    const receiveId = String(body.receive_id);
    const known = uuid ? this.byUuid.get(uuid) : undefined;
    if (known) return { message_id: known, chat_id: receiveId };
    const messageId = `om_${++this.seq}`;
    if (uuid) this.byUuid.set(uuid, messageId);
    this.messages.push({
      messageId,
      receiveIdType: url.searchParams.get('receive_id_type') ?? '',
      receiveId,
      card: JSON.parse(String(body.content)) as Record<string, unknown>,
      uuid,
      token,
    });
    return { message_id: messageId, chat_id: receiveId.startsWith('oc_') ? receiveId : `oc_dm_${receiveId}` };
  }

  /** Messages sent to a chat or a user, oldest first. */
  to(receiveId: string): LarkMessage[] {
    return this.messages.filter((m) => m.receiveId === receiveId);
  }

  get connected(): boolean {
    return this.sockets.length > 0;
  }

  /**
   * Pushes an event down the long connection; resolves with what the client answered. Like Lark,
   * it pushes an event again when no answer came within `retryAfterMs`, up to `attempts` times.
   */
  async push(event: Record<string, unknown>, retryAfterMs = 15_000, attempts = 3): Promise<Record<string, unknown>> {
    for (let attempt = 1; ; attempt++) {
      const answer = await this.pushOnce(event, retryAfterMs);
      if (answer) return answer;
      if (attempt >= attempts) throw new Error(`no answer on the long connection after ${attempts} pushes`);
    }
  }

  private pushOnce(event: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown> | null> {
    const socket = this.sockets.at(-1);
    if (!socket) return Promise.reject(new Error('no long connection'));
    const messageId = randomUUID();
    const frame = encodeFrame({
      seqId: ++this.seq,
      logId: this.seq,
      service: 7,
      method: 1,
      headers: [
        { key: 'type', value: 'event' },
        { key: 'message_id', value: messageId },
        { key: 'sum', value: '1' },
        { key: 'seq', value: '0' },
        { key: 'trace_id', value: messageId },
      ],
      payload: Buffer.from(JSON.stringify(event)),
    });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        resolve(null);
      }, timeoutMs);
      this.waiting.set(messageId, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      socket.send(frame);
    });
  }

  private onFrame(data: Buffer): void {
    const frame = decodeFrame(data);
    const id = frame.headers.find((h) => h.key === 'message_id')?.value;
    const resolve = id ? this.waiting.get(id) : undefined;
    if (!id || !resolve || frame.method !== 1) return;
    this.waiting.delete(id);
    const answer = JSON.parse(frame.payload.toString()) as { code: number; data?: string };
    resolve({
      code: answer.code,
      ...(answer.data ? { data: JSON.parse(Buffer.from(answer.data, 'base64').toString()) } : {}),
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.patches.length = 0;
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const detail = async () => `calls: ${this.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`;
    await until(check, what, timeoutMs, { everyMs: 20, detail });
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    await new Promise<void>((resolve) => this.wss?.close(() => resolve()));
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
