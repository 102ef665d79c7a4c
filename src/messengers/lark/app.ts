import * as lark from '@larksuiteoapi/node-sdk';
import type { LarkMode } from '../../config/env.js';
import type { Logger } from '../../infra/logger.js';
import type { PaceBook } from '../../infra/pacing/pace-book.js';
import { LarkBackground, type LarkHandlerDeps, larkEventHandlers } from './handlers.js';
import { type LarkCallbackRequest, verifyLarkCallback } from './http/lark-request.js';
import { createLarkClient, LarkApi, REPLY_MAX_WAIT_MS } from './lark-api.js';
import { LarkNotifier } from './notifier.js';
import { larkSdkLogger } from './sdk-logger.js';

export type LarkCallbackHandler = (request: LarkCallbackRequest) => Promise<{ status: number; body: unknown }>;

export interface LarkApp {
  appId: string;
  api: LarkApi;
  /** Set in HTTP mode: the handler of this app's callbacks. */
  httpHandler: LarkCallbackHandler | null;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The long connection's state ('n/a' over HTTP callbacks), for /healthz. */
  connection(): 'n/a' | 'connecting' | 'connected' | 'failed';
}

export type LarkAppDeps = Omit<LarkHandlerDeps, 'api' | 'appId'>;

/** Lark over the official SDK: one dispatcher, fed by the long connection or by verified HTTP callbacks. */
export function createLarkApp(
  mode: Exclude<LarkMode, { kind: 'off' }>,
  deps: LarkAppDeps,
  /** Where the sending pace is kept: in the database, shared by all instances. */
  paceBook?: PaceBook,
): LarkApp {
  const logger = larkSdkLogger(deps.log);
  const client = createLarkClient(mode.appId, mode.appSecret, mode.domain, logger, deps.metrics?.apiCall);
  const pace = { appId: mode.appId, ...(paceBook ? { book: paceBook } : {}) };
  // The outbox's sends and the replies to people keep one pace; a reply waits its turn, a send past a few seconds is deferred.
  const api = new LarkApi(client, pace);
  const replies = new LarkApi(client, { ...pace, maxWaitMs: REPLY_MAX_WAIT_MS });
  const background = new LarkBackground(deps.log);
  const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.warn }).register(
    larkEventHandlers({ ...deps, api: replies, appId: mode.appId }, background),
  );
  let ws: lark.WSClient | null = null;
  let connection: ReturnType<LarkApp['connection']> = mode.kind === 'long_connection' ? 'connecting' : 'n/a';
  const httpHandler: LarkCallbackHandler | null =
    mode.kind === 'http' && mode.verificationToken
      ? callbackHandler(
          dispatcher,
          { verificationToken: mode.verificationToken, encryptKey: mode.encryptKey },
          deps.log,
        )
      : null;

  return {
    appId: mode.appId,
    api,
    httpHandler,
    connection: () => connection,
    start: async () => {
      if (mode.kind !== 'long_connection') return;
      ws = new lark.WSClient({
        appId: mode.appId,
        appSecret: mode.appSecret,
        domain: mode.domain,
        logger,
        loggerLevel: lark.LoggerLevel.warn,
        onReady: () => {
          connection = 'connected';
          deps.log.info('Lark long connection is up');
        },
        onError: (error: unknown) => {
          connection = 'failed';
          deps.log.error('Lark long connection failed', {
            error: error instanceof Error ? error.message : String(error),
          });
        },
      });
      // The SDK reconnects on its own; start-up does not wait for Lark to be reachable.
      void ws.start({ eventDispatcher: dispatcher }).catch((error: unknown) =>
        deps.log.error('Lark long connection could not start', {
          error: error instanceof Error ? error.message : String(error),
        }),
      );
    },
    stop: async () => {
      ws?.close({ force: true });
      ws = null;
      await background.settled();
    },
  };
}

/**
 * Every configured Lark app (one per tenant: a self-built app belongs to one), each with its own
 * connection or callbacks, its own token and pace; one notifier sends each team's messages
 * through the app its chat is in.
 */
export interface LarkApps {
  apps: readonly LarkApp[];
  /** The first app (LARK_APP_ID): the one a team that names none is in. */
  first: LarkApp;
  notifier: LarkNotifier;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createLarkApps(
  modes: readonly Exclude<LarkMode, { kind: 'off' }>[],
  deps: LarkAppDeps,
  paceBook?: PaceBook,
): LarkApps {
  const apps = modes.map((mode) => createLarkApp(mode, deps, paceBook));
  const first = apps[0];
  if (!first) throw new Error('no Lark app to serve');
  const byId = new Map(apps.map((app) => [app.appId, app]));
  const apiFor = (appId: string) => {
    const app = appId ? byId.get(appId) : first;
    if (!app) throw new Error(`Lark app ${appId} is not configured: add it to LARK_APPS`);
    return app.api;
  };
  const notifier = new LarkNotifier({
    apiFor,
    clock: deps.clock,
    teams: deps.teams,
    leads: deps.leads,
    posts: deps.posts,
    store: deps.store,
    sources: deps.sources,
    reports: deps.reports,
    deadLetters: deps.deadLetters,
  });
  return {
    apps,
    first,
    notifier,
    start: async () => {
      for (const app of apps) await app.start();
    },
    stop: async () => {
      await Promise.all(apps.map((app) => app.stop()));
    },
  };
}

function callbackHandler(
  dispatcher: lark.EventDispatcher,
  secrets: { verificationToken: string; encryptKey?: string },
  log: Logger,
): LarkCallbackHandler {
  return async (request) => {
    // Request age is real time, whatever clock the domain runs on.
    const verified = verifyLarkCallback(request, secrets, Date.now());
    if (!verified.ok) {
      log.warn('Lark callback refused', { reason: verified.reason });
      return { status: verified.status, body: { error: verified.reason } };
    }
    const payload = verified.payload;
    if (payload.type === 'url_verification') return { status: 200, body: { challenge: payload.challenge } };
    const result: unknown = await dispatcher.invoke(payload, { needCheck: false });
    // The dispatcher answers an event type with no handler with a sentence; Lark only needs a 200.
    return { status: 200, body: typeof result === 'object' && result !== null ? result : {} };
  };
}
