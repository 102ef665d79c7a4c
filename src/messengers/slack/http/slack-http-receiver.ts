import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { StoredResponse } from '../../../domain/intake/intake-store.js';
import type { ReplayLedger } from '../../../domain/shared/replay-ledger.js';
import type { SlackEventsRequest } from '../../../http/slack.route.js';
import type { Logger } from '../../../infra/logger.js';
import { errorFields } from '../../../infra/logger.js';
import { AcksFirst } from '../../../infra/process/acks-first.js';
import { setAsideReason } from './set-aside.js';
import {
  type KnownSlackIds,
  parseSlackBody,
  type SlackRequest,
  slackRequestSchema,
  unhandledReason,
  verifySignature,
} from './slack-request.js';

export interface SlackHttpReceiverOptions {
  signingSecret: string;
  known: KnownSlackIds;
  replays: ReplayLedger;
  log: Logger;
  /** Tells the person why a request set aside here did nothing, where Slack lets us (response_url). */
  onSetAside?: (body: Record<string, unknown>, reason: string) => Promise<void>;
}

const OK_EMPTY: StoredResponse = { status: 200, body: null };
/** Slack gives up after 3 s: a listener that has not acknowledged by then is answered for it. */
const ACK_TIMEOUT_MS = 2500;
/** Request kinds whose listeners acknowledge with no body. */
const ACKED_EMPTY: ReadonlySet<SlackRequest['kind']> = new Set(['command', 'block_actions', 'shortcut']);
const REPLAY_SCOPE = 'slack:request';

/**
 * Bolt's receiver for POST /slack/events on Leadpool's own HTTP server. Everything a listener
 * must not see is settled here: the signature and its age (past and future), malformed or
 * unknown payloads (acknowledged at once and logged once at warn, never thrown), and replays
 * (the same signed request gets the first answer and runs nothing).
 */
export class SlackHttpReceiver implements Receiver {
  private app: App | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Clicks and commands run after the requests arriving with them are acknowledged. */
  private readonly acksFirst = new AcksFirst();

  constructor(private readonly options: SlackHttpReceiverOptions) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  /** Waits for listeners still running after their acknowledgement. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async handle(request: SlackEventsRequest): Promise<StoredResponse> {
    const { log } = this.options;
    this.acksFirst.arrived();
    const parsed = parseSlackBody(request.raw, request.contentType);
    // Slack's SSL check is unsigned and does nothing.
    if (parsed.ok && parsed.body.ssl_check === '1') return OK_EMPTY;
    // Wall-clock time, not the business clock (which tests pin): signatures are dated by Slack's clock.
    const nowMs = Date.now();
    const verdict = verifySignature(request.raw, request, this.options.signingSecret, nowMs);
    if (!verdict.ok) {
      log.warn('Slack request refused', { reason: verdict.reason });
      return { status: 401, body: { error: 'unauthorized', message: 'Slack request signature is invalid.' } };
    }
    if (!parsed.ok) {
      log.warn('malformed Slack request acknowledged and ignored', { reason: parsed.reason });
      return OK_EMPTY;
    }
    const shaped = slackRequestSchema.safeParse(parsed.body);
    if (!shaped.success) {
      const reason = setAsideReason(parsed.body);
      log.warn('Slack request of an unexpected shape acknowledged and ignored', {
        reason,
        detail: shaped.error.issues[0]?.message,
        type: typeof parsed.body.type === 'string' ? parsed.body.type.slice(0, 40) : undefined,
      });
      this.tellSetAside(parsed.body, reason);
      return OK_EMPTY;
    }
    const slackRequest = shaped.data;
    if (slackRequest.kind === 'url_verification') return { status: 200, body: { challenge: slackRequest.challenge } };
    // Leadpool offers no external selects: an options request gets the documented empty answer.
    if (slackRequest.kind === 'block_suggestion') return { status: 200, body: { options: [] } };
    const unhandled = unhandledReason(slackRequest, this.options.known);
    if (unhandled) {
      log.warn('Slack request with no listener acknowledged', { reason: unhandled });
      this.tellSetAside(parsed.body, unhandled);
      return OK_EMPTY;
    }
    const key = replayKey(request.signature as string);
    const at = new Date(nowMs);
    if (ACKED_EMPTY.has(slackRequest.kind)) {
      this.track(this.acksFirst.later(() => this.runOnce(key, at, parsed.body, request)));
      return OK_EMPTY;
    }
    if (!(await this.options.replays.claim(REPLAY_SCOPE, key, at))) {
      log.info('repeated Slack request answered from the first one', { retryNum: request.retryNum });
      return this.firstAnswer(key);
    }
    const answer = await this.dispatch(parsed.body, request);
    this.track(
      this.options.replays.save(REPLAY_SCOPE, key, answer).catch((error) => {
        log.warn('could not record a Slack answer for replays', errorFields(error));
      }),
    );
    return answer;
  }

  /**
   * Commands, clicks and shortcuts answer with an empty acknowledgement (replies go through
   * response_url or the API), so Slack is answered at once and the replay check runs after it,
   * off the 3 s path; a repeat runs nothing and got the same empty answer.
   */
  private async runOnce(key: string, at: Date, body: Record<string, unknown>, request: SlackEventsRequest) {
    try {
      if (!(await this.options.replays.claim(REPLAY_SCOPE, key, at))) {
        this.options.log.info('repeated Slack request ignored', { retryNum: request.retryNum });
        return;
      }
      await this.dispatch(body, request);
    } catch (error) {
      this.options.log.error('Slack request could not be handled', errorFields(error));
    }
  }

  /** Runs Bolt's listeners; resolves with the acknowledgement while the listener goes on. */
  private dispatch(body: Record<string, unknown>, request: SlackEventsRequest): Promise<StoredResponse> {
    const app = this.app;
    if (!app) throw new Error('SlackHttpReceiver used before Bolt initialised it');
    const { log } = this.options;
    return new Promise((resolve) => {
      let acknowledged = false;
      const answer = (a: StoredResponse) => {
        if (acknowledged) return;
        acknowledged = true;
        clearTimeout(timer);
        resolve(a);
      };
      const timer = setTimeout(() => {
        log.warn('Slack listener did not acknowledge in time: answered empty');
        answer(OK_EMPTY);
      }, ACK_TIMEOUT_MS);
      const event: ReceiverEvent = {
        body,
        retryNum: request.retryNum,
        retryReason: request.retryReason,
        ack: async (response?: unknown) => {
          if (acknowledged) return;
          answer({ status: 200, body: response ?? null });
        },
      };
      const run = app.processEvent(event).then(
        () => answer(OK_EMPTY),
        (error: unknown) => {
          log.error('Slack listener failed', errorFields(error));
          answer(OK_EMPTY);
        },
      );
      this.track(run);
    });
  }

  /** The first request's answer; a repeat that overtakes it waits briefly, then gets an empty 200. */
  private async firstAnswer(key: string): Promise<StoredResponse> {
    for (let i = 0; i < 10; i++) {
      const stored = await this.options.replays.answer(REPLAY_SCOPE, key);
      if (stored) return stored;
      await new Promise((r) => setTimeout(r, 200));
    }
    return OK_EMPTY;
  }

  private tellSetAside(body: Record<string, unknown>, reason: string): void {
    if (this.options.onSetAside) this.track(this.options.onSetAside(body, reason));
  }

  private track(work: Promise<unknown>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }
}

/**
 * A replay repeats the signed request byte for byte, so its signature names it. (Events, once
 * subscribed, are redelivered under new signatures and will need their event_id instead.)
 */
const replayKey = (signature: string) => `sig:${signature.slice(3)}`;
