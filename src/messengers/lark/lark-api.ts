import * as lark from '@larksuiteoapi/node-sdk';
import { DeliveryDeferred } from '../../domain/notifications/notification-sink.js';
import type { ApiCall } from '../../infra/metrics-events.js';
import { MemoryPaceBook, type PaceBook, type PaceRule } from '../../infra/pacing/pace-book.js';
import type { LarkCard } from './views/lark-card.js';

/** Lark's "too many requests" answer (HTTP 400 with this code). */
export const RATE_LIMITED = 99991400;
/** A chat's own frequency limit (which other bots in the same group can use up). */
export const CHAT_RATE_LIMITED = 230020;
/** The longest wait taken inside one outbox send; a longer one hands the message back to the outbox. */
const MAX_INLINE_WAIT_MS = 5_000;
/** A reply to a person waits its turn up to this long (a flood of commands from one chat queues). */
export const REPLY_MAX_WAIT_MS = 120_000;
/** One slow request must not stall a delivery lane: every API call gives up after this long. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Sending limits of `im/v1/messages` (PLATFORM.md): per receiving chat or user, and per app. */
export const LIMITS = { perReceiverPerSecond: 5, perAppPerSecond: 50, perAppPerMinute: 1000 } as const;

/**
 * The limits as pace rules. Lark counts in sliding windows, so a rule must never let N + 1 sends
 * into any window: one each window/N (a tenth of a second's margin on the one-second limits, for
 * network jitter). The minute's thousand is 66 ms apart on average with a burst of 5.9 s (about 90
 * at the app's 50 a second): in any 60 s, at most floor((60 000 + 5 900) / 66) + 1 = 999.
 */
export const PACE = {
  receiver: { intervalMs: 1100 / LIMITS.perReceiverPerSecond },
  app: { intervalMs: 1100 / LIMITS.perAppPerSecond },
  appMinute: { intervalMs: 66, burstMs: 5_900 },
} as const satisfies Record<string, PaceRule>;

export class LarkApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`Lark API ${code}: ${message}`);
    this.name = 'LarkApiError';
  }
}

export type Receiver = { type: 'chat_id' | 'open_id'; id: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * The SDK's HTTP instance with a timeout on every call, telling `apiCall` (the metrics) of each:
 * by verb and path with Lark's ids taken out, and how it ended.
 */
function timedHttp(apiCall?: (call: ApiCall) => void): lark.HttpInstance {
  const base = lark.defaultHttpInstance as unknown as lark.HttpInstance;
  const withTimeout = <T>(opts?: T) => ({ timeout: REQUEST_TIMEOUT_MS, ...(opts ?? {}) });
  const observed = async <T>(verb: string, url: string | undefined, call: () => Promise<T>): Promise<T> => {
    if (!apiCall) return call();
    const started = performance.now();
    const told = (outcome: ApiCall['outcome']) =>
      apiCall({
        messenger: 'lark',
        method: larkMethodOf(verb, url),
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
    try {
      const answer = await call();
      const code = (answer as { code?: unknown } | undefined)?.code;
      told(typeof code === 'number' && code !== 0 ? (isRateLimit(code) ? 'rate_limited' : 'error') : 'ok');
      return answer;
    } catch (error) {
      const failure = failureOf(error);
      told(failure ? (failure.rateLimited ? 'rate_limited' : 'error') : 'network');
      throw error;
    }
  };
  type Opts = { url?: string; method?: string } | undefined;
  return {
    request: (opts) =>
      observed((opts as Opts)?.method ?? 'GET', (opts as Opts)?.url, () => base.request(withTimeout(opts))),
    get: (url, opts) => observed('GET', url, () => base.get(url, withTimeout(opts))),
    delete: (url, opts) => observed('DELETE', url, () => base.delete(url, withTimeout(opts))),
    head: (url, opts) => observed('HEAD', url, () => base.head(url, withTimeout(opts))),
    options: (url, opts) => observed('OPTIONS', url, () => base.options(url, withTimeout(opts))),
    post: (url, data, opts) => observed('POST', url, () => base.post(url, data, withTimeout(opts))),
    put: (url, data, opts) => observed('PUT', url, () => base.put(url, data, withTimeout(opts))),
    patch: (url, data, opts) => observed('PATCH', url, () => base.patch(url, data, withTimeout(opts))),
  };
}

/**
 * `PATCH …/open-apis/im/v1/messages/om_x1?…` → `PATCH im/v1/messages/:id`: ids (open, chat,
 * message, file keys) and numbers are taken out, so the label names the method, not its target.
 */
export function larkMethodOf(verb: string, url: string | undefined): string {
  let path = url ?? '';
  try {
    path = new URL(path, 'http://lark.invalid').pathname;
  } catch {
    return `${verb.toUpperCase()} unknown`;
  }
  const segments = path
    .replace(/^\/?open-apis\//, '')
    .split('/')
    .filter(Boolean)
    .map((s) => (/^[a-z]{2,4}_(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]+$|^\d+$|^[A-Za-z0-9_-]{24,}$/.test(s) ? ':id' : s));
  return `${verb.toUpperCase()} ${segments.join('/').slice(0, 80)}`;
}

export function createLarkClient(
  appId: string,
  appSecret: string,
  domain: string,
  logger: lark.Logger,
  apiCall?: (call: ApiCall) => void,
): lark.Client {
  return new lark.Client({
    logger,
    appId,
    appSecret,
    domain,
    appType: lark.AppType.SelfBuild,
    httpInstance: timedHttp(apiCall),
    loggerLevel: lark.LoggerLevel.error,
  });
}

interface ApiAnswer {
  code?: number;
  msg?: string;
  data?: { message_id?: string; chat_id?: string };
}

interface Failure {
  code: number;
  msg: string;
  /** HTTP 429, or one of Lark's rate-limit codes: wait, it is not a failed send. */
  rateLimited: boolean;
  /** From `x-ogw-ratelimit-reset` (seconds until the window resets), when Lark sent it. */
  resetMs: number | null;
}

/** The code and message of a Lark API failure, whether the SDK returned it or threw it (HTTP 4xx). */
function failureOf(error: unknown): Failure | null {
  const response = (error as { response?: { status?: number; data?: ApiAnswer; headers?: Record<string, unknown> } })
    ?.response;
  if (!response) return null;
  const code = typeof response.data?.code === 'number' ? response.data.code : response.status === 429 ? 429 : null;
  if (code === null) return null;
  const reset = Number(response.headers?.['x-ogw-ratelimit-reset']);
  return {
    code,
    msg: response.data?.msg ?? '',
    rateLimited: response.status === 429 || isRateLimit(code),
    resetMs: Number.isFinite(reset) && reset >= 0 ? Math.ceil(reset * 1000) : null,
  };
}

const isRateLimit = (code: number) => code === RATE_LIMITED || code === CHAT_RATE_LIMITED;

/** What /healthz says of Lark: the last failure and any rate limit in force, no secrets. */
export interface LarkApiHealth {
  rateLimitedUntil: string | null;
  lastError: { code: number; message: string; at: string } | null;
}

/**
 * The messages Leadpool sends through the official SDK, within Lark's sending limits: calls wait
 * their turn per receiver and per app, and a rate-limit answer is retried after a back-off.
 */
export class LarkApi {
  private rateLimitedUntil = 0;
  private lastError: LarkApiHealth['lastError'] = null;
  private readonly retryDelaysMs: readonly number[];
  private readonly now: () => number;
  /** Where the sending pace is kept: in the database, shared by all instances, when given. */
  private readonly book: PaceBook;
  private readonly appKey: string;
  private readonly maxWaitMs: number;

  constructor(
    readonly client: lark.Client,
    options: {
      retryDelaysMs?: readonly number[];
      now?: () => number;
      book?: PaceBook;
      appId?: string;
      /**
       * How long a call may wait for its turn: the outbox's sends hand a longer wait back to the
       * outbox (the default), a reply to a person waits its turn (it has no outbox to come back from).
       */
      maxWaitMs?: number;
    } = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [1000, 2000, 4000];
    this.now = options.now ?? Date.now;
    this.book = options.book ?? new MemoryPaceBook(this.now);
    this.appKey = `lark:${options.appId ?? 'app'}`;
    this.maxWaitMs = options.maxWaitMs ?? MAX_INLINE_WAIT_MS;
  }

  health(): LarkApiHealth {
    return {
      rateLimitedUntil: this.rateLimitedUntil > this.now() ? new Date(this.rateLimitedUntil).toISOString() : null,
      lastError: this.lastError,
    };
  }

  /** Sends a card; `uuid` makes a repeated send (a retry after a crash) deliver at most once. */
  async send(to: Receiver, card: LarkCard, uuid: string): Promise<{ messageId: string; chatId: string }> {
    const answer = await this.call(to.id, () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: to.type },
        data: { receive_id: to.id, msg_type: 'interactive', content: JSON.stringify(card), uuid: uuid.slice(0, 50) },
      }),
    );
    const messageId = answer.data?.message_id;
    if (!messageId) throw new LarkApiError(-1, 'message create returned no message_id');
    return { messageId, chatId: answer.data?.chat_id ?? to.id };
  }

  /** Uploads a file and sends it; `uuid` makes a repeated send deliver at most once. */
  async sendFile(to: Receiver, file: { name: string; content: Buffer }, uuid: string): Promise<void> {
    // The SDK answers an upload with its data alone (and throws on a failure answer).
    let fileKey: string | undefined;
    await this.call(to.id, async () => {
      fileKey = (
        await this.client.im.v1.file.create({ data: { file_type: 'stream', file_name: file.name, file: file.content } })
      )?.file_key;
      return { code: 0 };
    });
    if (!fileKey) throw new LarkApiError(-1, 'file upload returned no file_key');
    await this.call(to.id, () =>
      this.client.im.v1.message.create({
        params: { receive_id_type: to.type },
        data: {
          receive_id: to.id,
          msg_type: 'file',
          content: JSON.stringify({ file_key: fileKey }),
          uuid: uuid.slice(0, 50),
        },
      }),
    );
  }

  /** Replaces a shared card in place (it was sent with update_multi). */
  async update(messageId: string, card: LarkCard): Promise<void> {
    await this.call(messageId, () =>
      this.client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }),
    );
  }

  /**
   * One API call within the sending limits. A rate limit (HTTP 429, 99991400, a chat's 230020) is
   * waited out as long as Lark says (`x-ogw-ratelimit-reset`, else a back-off); a wait longer than
   * a few seconds, or one more than the back-offs, hands the message back to the outbox as
   * deferred: a storm is never counted as failed sends, so it never gives a card up.
   */
  private async call(receiver: string, request: () => Promise<ApiAnswer>): Promise<ApiAnswer> {
    const receiverKey = `${this.appKey}:to:${receiver}`;
    for (let attempt = 0; ; attempt++) {
      await this.takeTurn(receiverKey);
      let failure: Failure | null;
      let answer: ApiAnswer;
      try {
        answer = await request();
        failure = answer.code
          ? { code: answer.code, msg: answer.msg ?? '', rateLimited: isRateLimit(answer.code), resetMs: null }
          : null;
      } catch (error) {
        failure = failureOf(error);
        if (!failure) throw error;
        answer = failure;
      }
      if (!failure) return answer;
      this.lastError = {
        code: failure.code,
        message: failure.msg.slice(0, 200),
        at: new Date(this.now()).toISOString(),
      };
      if (!failure.rateLimited) throw new LarkApiError(failure.code, failure.msg);
      const wait = failure.resetMs ?? this.retryDelaysMs[attempt] ?? this.retryDelaysMs.at(-1) ?? 1000;
      this.rateLimitedUntil = Math.max(this.rateLimitedUntil, this.now() + wait);
      // Every instance holds off: the chat alone for a chat's own limit, the whole app otherwise.
      await this.book.hold(failure.code === CHAT_RATE_LIMITED ? receiverKey : this.appKey, wait);
      if (wait > MAX_INLINE_WAIT_MS || attempt >= this.retryDelaysMs.length)
        throw new DeliveryDeferred(wait, `Lark rate limit (${failure.code})`);
    }
  }

  /**
   * Books the call's slot with the receiver, the app's second and the app's minute, waiting up to
   * `maxWaitMs` in all; a longer wait hands the message back to the outbox for its turn.
   */
  private async takeTurn(receiverKey: string): Promise<void> {
    const started = this.now();
    const turns: [string, PaceRule][] = [
      [receiverKey, PACE.receiver],
      [this.appKey, PACE.app],
      [`${this.appKey}:minute`, PACE.appMinute],
    ];
    for (const [key, rule] of turns) {
      for (;;) {
        const left = Math.max(0, this.maxWaitMs - (this.now() - started));
        const booking = await this.book.book(key, rule, left);
        if (booking.booked) {
          if (booking.waitMs > 0) await sleep(booking.waitMs);
          break;
        }
        const reason = booking.reason === 'held' ? 'Lark rate limit' : 'Lark sending pace';
        if (booking.waitMs > left) throw new DeliveryDeferred(booking.waitMs, reason);
        await sleep(booking.waitMs); // a short hold (a rate limit's reset): waited out here
      }
    }
  }
}
