import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { readBodyBytes } from './read-body.js';
import { until } from './until.js';

export interface SlackCall {
  method: string;
  body: Record<string, unknown>;
  /** The token the call was made with (Authorization: Bearer …), or '' for none. */
  token: string;
  /** performance.now() when the call arrived. */
  at: number;
}

/** Parses what @slack/web-api sends: form-encoded fields with objects JSON-stringified, or JSON. */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    try {
      out[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/** The DM conversation id of a user id (U… or W…): D and the rest of it. Channel ids stay as they are. */
export function dmChannelOf(id: string): string {
  return /^[UW]/.test(id) ? `D${id.slice(1)}` : id;
}

/** The file part of a multipart upload (or the raw body when it is not multipart), byte for byte. */
function fileBytesOf(raw: Buffer, contentType: string): Buffer {
  return Buffer.from(fileOf(raw.toString('latin1'), contentType), 'latin1');
}

/** The file part of a multipart upload (or the raw body when it is not multipart). */
function fileOf(raw: string, contentType: string): string {
  const boundary = /boundary=(.+)$/.exec(contentType)?.[1];
  if (!boundary) return raw;
  const part = raw.split(`--${boundary}`).find((p) => p.includes('filename='));
  const start = part?.indexOf('\r\n\r\n') ?? -1;
  return part && start >= 0 ? part.slice(start + 4).replace(/\r\n$/, '') : raw;
}

/** A workspace's (or an organisation's org-wide) install that Slack finishes when handed `code`. */
export interface FakeInstall {
  token: string;
  botUserId: string;
  team: { id: string; name: string } | null;
  enterprise?: { id: string; name: string };
  /** The channels of the workspace: a call with this token to another channel is refused. */
  channels: string[];
  /** For an org-wide install: the workspaces auth.teams.list names. */
  workspaces?: string[];
}

/** The Web API methods that need no bot token (the install exchange, Socket Mode's app token). */
const TOKENLESS = new Set(['oauth.v2.access', 'apps.connections.open']);
/** Methods addressed to a channel, which an installed token may only use in its own workspace. */
const IN_A_CHANNEL = new Set(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'conversations.history']);

/**
 * A local stand-in for Slack's Web API (Bolt's slackApiUrl points here) and for response_url
 * endpoints. It records every call so tests assert on what the real SDK actually sent.
 */
export class FakeSlack {
  readonly calls: SlackCall[] = [];
  private server: Server | null = null;
  /** Message timestamps follow the real clock (as Slack's do), each later than the last. */
  private lastTs = 0;
  private nextTs(): string {
    this.lastTs = Math.max(this.lastTs + 1, Date.now() * 1000);
    return (this.lastTs / 1_000_000).toFixed(6);
  }
  private seq = 0;
  /** Channels whose posts Slack takes (they appear in the history) but never answers, until released. */
  readonly hungChannels = new Set<string>();
  private readonly hung: (() => void)[] = [];
  /** Posts answered ok, per channel: what Slack confirmed, duplicates included. */
  readonly answeredPosts = new Map<string, { ts: string; metadata?: unknown }[]>();
  /** What apps.connections.open hands out, for Socket Mode tests. */
  socketUrl = '';
  /** Error answers to give, per method, before answering normally again. */
  readonly failures = new Map<string, string[]>();
  /** Messages posted, per channel, newest last, as conversations.history returns them. */
  readonly history = new Map<string, { ts: string; text: unknown; metadata?: unknown }[]>();
  /** Files uploaded through the external upload flow, by file id, as text (UTF-8). */
  readonly uploads = new Map<string, string>();
  /** The same files, byte for byte (images). */
  readonly uploadBytes = new Map<string, Buffer>();
  /** The Retry-After (seconds) of a "ratelimited" failure. */
  retryAfterSeconds = 1;
  /**
   * Answers chat.postMessage with the channel as it was given (a user id stays U…) instead of the
   * DM's own id: code must not rely on Slack's answer to learn a DM's channel id.
   */
  echoPostedChannel = false;
  /** Installs by the code Slack hands the browser; once exchanged, their tokens are the only ones taken. */
  readonly installs = new Map<string, FakeInstall>();
  /** The installed tokens, as oauth.v2.access handed them out; revoked ones are refused. */
  readonly tokens = new Map<string, FakeInstall>();
  readonly revoked = new Set<string>();
  /** The app's client id and secret, which oauth.v2.access checks when set. */
  client: { id: string; secret: string } | null = null;
  /** Holds answers to chat.postMessage this long after the message is posted (time to kill the sender). */
  postDelayMs = 0;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req, res) => {
      const bytes = await readBodyBytes(req);
      const raw = bytes.toString('utf8');
      const path = (req.url ?? '').split('?')[0] ?? '';
      const method = path.startsWith('/api/') ? path.slice(5) : `respond:${path}`;
      if (path.startsWith('/upload/')) {
        const file = fileBytesOf(bytes, String(req.headers['content-type'] ?? ''));
        this.uploadBytes.set(path.slice('/upload/'.length), file);
        this.uploads.set(path.slice('/upload/'.length), file.toString('utf8'));
      }
      const body = path.startsWith('/upload/')
        ? { bytes: raw.length }
        : parseBody(raw, String(req.headers['content-type'] ?? ''));
      const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? String(body.token ?? '');
      this.calls.push({ method, body, token, at: performance.now() });
      res.setHeader('content-type', 'application/json');
      const refused = path.startsWith('/api/') ? this.refusal(method, body, token) : null;
      if (refused) {
        res.end(JSON.stringify({ ok: false, error: refused }));
        return;
      }
      const failure = this.failures.get(method)?.shift();
      if (failure === 'ratelimited') {
        // As Slack answers a rate limit: HTTP 429 and how long to wait.
        res.statusCode = 429;
        res.setHeader('retry-after', String(this.retryAfterSeconds));
        res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
        return;
      }
      if (failure) {
        res.end(JSON.stringify({ ok: false, error: failure }));
        return;
      }
      const answer = this.answer(method, body, token);
      if (method === 'chat.postMessage' && this.postDelayMs > 0)
        await new Promise((r) => setTimeout(r, this.postDelayMs));
      if (method === 'chat.postMessage' && this.hungChannels.has(String(body.channel))) {
        // Taken but not answered: the caller must give up on its own (or wait until released).
        await new Promise<void>((release) => this.hung.push(release));
        if (res.destroyed || res.writableEnded) return;
      }
      if (method === 'chat.postMessage' && answer.ok) {
        const channel = String(body.channel);
        const answered = this.answeredPosts.get(channel) ?? [];
        answered.push({ ts: String(answer.ts), metadata: body.metadata });
        this.answeredPosts.set(channel, answered);
      }
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.url}/respond/${id}`;
  }

  /**
   * As Slack refuses a call once any workspace has installed the app: a token it never handed out,
   * or one revoked, and a channel outside the token's workspace.
   */
  private refusal(method: string, body: Record<string, unknown>, token: string): string | null {
    if (this.tokens.size === 0 || TOKENLESS.has(method)) return null;
    if (this.revoked.has(token)) return 'token_revoked';
    const install = this.tokens.get(token);
    if (!install) return 'invalid_auth';
    const channel = String(body.channel ?? '');
    if (IN_A_CHANNEL.has(method) && /^[CG]/.test(channel) && !install.channels.includes(channel))
      return 'channel_not_found';
    return null;
  }

  /** oauth.v2.access as Slack's reference shows its answer: a bot token, its workspace or organisation. */
  private exchange(body: Record<string, unknown>): Record<string, unknown> {
    if (this.client && (body.client_id !== this.client.id || body.client_secret !== this.client.secret))
      return { ok: false, error: 'invalid_client_id' };
    const install = this.installs.get(String(body.code ?? ''));
    if (!install) return { ok: false, error: 'invalid_code' };
    this.installs.delete(String(body.code));
    this.tokens.set(install.token, install);
    return {
      ok: true,
      access_token: install.token,
      token_type: 'bot',
      scope: 'channels:history,chat:write,commands,files:write,groups:history,im:history,im:write',
      bot_user_id: install.botUserId,
      app_id: 'A0LEADPOOL',
      team: install.team,
      enterprise: install.enterprise ?? null,
      is_enterprise_install: install.team === null,
      authed_user: { id: 'U0INSTALLER' },
    };
  }

  private answer(method: string, body: Record<string, unknown>, token = ''): Record<string, unknown> {
    const install = this.tokens.get(token);
    switch (method) {
      case 'oauth.v2.access':
        return this.exchange(body);
      case 'auth.test':
        return install
          ? {
              ok: true,
              user_id: install.botUserId,
              bot_id: `B${install.botUserId.slice(1)}`,
              team_id: install.team?.id ?? install.enterprise?.id,
              enterprise_id: install.enterprise?.id,
              is_enterprise_install: install.team === null,
              url: 'https://example.enterprise.slack.com/',
              user: 'leadpool',
            }
          : { ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T0TEST', user: 'leadpool' };
      case 'auth.teams.list':
        return {
          ok: true,
          teams: (install?.workspaces ?? []).map((id) => ({ id, name: `Workspace ${id}` })),
          response_metadata: { next_cursor: '' },
        };
      case 'chat.postMessage': {
        const ts = this.nextTs();
        // A post to a person lands in the app's DM with them, a conversation of its own (D…).
        const channel = dmChannelOf(String(body.channel));
        this.history.set(channel, [
          ...(this.history.get(channel) ?? []),
          { ts, text: body.text, metadata: body.metadata },
        ]);
        return { ok: true, channel: this.echoPostedChannel ? body.channel : channel, ts, message: { text: body.text } };
      }
      case 'conversations.history':
        return this.historyPage(body);
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'apps.connections.open':
        return { ok: true, url: this.socketUrl };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.nextTs() };
      case 'conversations.open':
        return { ok: true, channel: { id: dmChannelOf(String(body.users ?? '')) } };
      case 'files.getUploadURLExternal': {
        const id = `F${++this.seq}`;
        return { ok: true, upload_url: `${this.url}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal':
        return { ok: true, files: (body.files as { id: string }[] | undefined) ?? [] };
      default:
        return { ok: true };
    }
  }

  /** conversations.history as Slack pages it: newest first, `limit` (default 100) per page, from `oldest`. */
  private historyPage(body: Record<string, unknown>): Record<string, unknown> {
    const oldest = Number(body.oldest ?? 0);
    const limit = Math.min(Number(body.limit ?? 100), 999);
    const start = Number(body.cursor ?? 0);
    const all = [...(this.history.get(String(body.channel)) ?? [])].reverse().filter((m) => Number(m.ts) > oldest);
    const page = all.slice(start, start + limit);
    const more = start + limit < all.length;
    return {
      ok: true,
      messages: page,
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : '' },
    };
  }

  /** Answers every post held by a hung channel (and stops hanging it). */
  releaseHung(): void {
    this.hungChannels.clear();
    for (const release of this.hung.splice(0)) release();
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls whose method matches and that are sent to (DMs) or in `channel`. */
  to(method: string, channel: string): SlackCall[] {
    // A DM is addressed by the person's id or by the DM's own id (after conversations.open).
    const dm = dmChannelOf(channel);
    return this.of(method).filter((c) => c.body.channel === channel || c.body.channel === dm);
  }

  responses(): SlackCall[] {
    return this.calls.filter((c) => c.method.startsWith('respond:'));
  }

  reset(): void {
    this.calls.length = 0;
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const detail = async () => `calls: ${this.calls.map((c) => c.method).join(', ')}`;
    await until(check, what, timeoutMs, { everyMs: 20, detail });
  }

  async stop(): Promise<void> {
    this.releaseHung();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
