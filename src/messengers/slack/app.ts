import {
  type AnyMiddlewareArgs,
  App,
  type Logger as BoltLogger,
  LogLevel,
  type Middleware,
  SocketModeReceiver,
  webApi,
} from '@slack/bolt';
import type { SlackAuth, SlackMode } from '../../config/env.js';
import type { ReplayLedger } from '../../domain/shared/replay-ledger.js';
import type { Logger } from '../../infra/logger.js';
import { ACTION_IDS, SLASH_COMMAND, VIEW_IDS } from '../shared/action-ids.js';
import { SLACK_VIEWS } from '../shared/interactions.js';
import { observedSlackFetch } from './api-calls.js';
import { answerSetAside, setAsideReason } from './http/set-aside.js';
import { SlackHttpReceiver } from './http/slack-http-receiver.js';
import { type KnownSlackIds, slackRequestSchema, unhandledReason } from './http/slack-request.js';
import { createSlackInstallFlow, type SlackInstallFlow } from './install-flow.js';
import type { SlackInstallationStore } from './installation-store.js';
import { registerLeadCommand } from './listeners/commands/lead-command.js';
import type { SlackListenerDeps } from './listeners/deps.js';
import { MESSAGE_EVENT, registerDirectMessages } from './listeners/direct-messages.js';
import { HOME_EVENT, registerHome } from './listeners/home.js';
import { registerInteractions } from './listeners/interactions.js';
import { registerUninstall, TOKENS_REVOKED_EVENT, UNINSTALLED_EVENT } from './listeners/uninstall.js';
import { registerNewLeadShortcut } from './listeners/views/new-lead.js';
import { InstalledWorkspaces, SingleWorkspace, type SlackClients } from './workspaces.js';

export interface SlackApp {
  app: App;
  /**
   * The clients the outbox sends with, one per workspace: no retries of their own and rate limits
   * answered at once, so the outbox decides when to try again (a rate-limited channel waits, the
   * others go on).
   */
  clients: SlackClients;
  /** With the install flow: GET /slack/install and /slack/oauth_redirect on the shared server. */
  installFlow: SlackInstallFlow | null;
  /** Every Web API call gives up after this long: a hung connection must not hold anything for minutes. */
  timeoutMs: number;
  /** Set in HTTP mode: serves POST /slack/events on the shared server. */
  httpReceiver: SlackHttpReceiver | null;
  /** The Socket Mode connection's state ('n/a' over HTTP), for /healthz and /readyz. */
  connection(): SlackConnection;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type SlackConnection = 'n/a' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** Every id a listener below is registered for: requests for anything else are answered at once. */
export const KNOWN_SLACK_IDS: KnownSlackIds = {
  commands: new Set([SLASH_COMMAND]),
  actions: new Set(Object.values(ACTION_IDS)),
  views: new Set(SLACK_VIEWS.keys()),
  shortcuts: new Set([VIEW_IDS.newLeadShortcut]),
  events: new Set([HOME_EVENT, MESSAGE_EVENT, UNINSTALLED_EVENT, TOKENS_REVOKED_EVENT]),
};

/** Every listener of the adapter; each id it registers is one of KNOWN_SLACK_IDS (a test checks). */
export function registerListeners(app: App, deps: SlackListenerDeps): void {
  registerInteractions(app, deps);
  registerLeadCommand(app, deps);
  registerNewLeadShortcut(app, deps);
  registerHome(app, deps);
  registerDirectMessages(app, deps);
  registerUninstall(app, deps);
}

/**
 * Socket Mode has no receiver of ours: the same rule as over HTTP is applied as Bolt's first
 * middleware, so a payload nothing listens for is acknowledged at once and logged once at warn.
 * (Socket Mode envelopes come over Slack's authenticated connection: no signatures or replays.)
 */
function answerUnhandledAtOnce(
  log: Logger,
  onSetAside: (body: Record<string, unknown>, reason: string) => Promise<void>,
): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as Record<string, unknown>;
    const parsed = slackRequestSchema.safeParse(body);
    const reason = parsed.success ? unhandledReason(parsed.data, KNOWN_SLACK_IDS) : setAsideReason(body);
    if (!reason) return args.next();
    log.warn('Slack request with no listener acknowledged', { reason });
    // An options request is answered as documented: no options (Leadpool has no external selects).
    const answer = parsed.success && parsed.data.kind === 'block_suggestion' ? { options: [] } : undefined;
    if ('ack' in args && typeof args.ack === 'function') await (args.ack as (a?: unknown) => Promise<void>)(answer);
    await onSetAside(body, reason);
  };
}

function boltLogger(log: Logger): BoltLogger {
  const text = (msgs: unknown[]) => msgs.map((m) => (m instanceof Error ? m.message : String(m))).join(' ');
  return {
    debug: (...m) => log.debug(text(m)),
    info: (...m) => log.info(text(m)),
    warn: (...m) => log.warn(text(m)),
    error: (...m) => log.error(text(m)),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** Where the installations of the install flow are kept (SLACK_CLIENT_ID and the rest set). */
export interface SlackAppOptions {
  installations?: SlackInstallationStore;
  /** A workspace installed the app: its messages that were waiting may go now. */
  onInstalled?(): void;
}

/** How Leadpool is let into Slack: the outbox's clients, Bolt's token or authorize, and the install flow's parts. */
interface SlackAccess {
  clients: SlackClients;
  installFlow: SlackInstallFlow | null;
  /** Bolt's option: one bot token, or each request's workspace's own from its installation. */
  bolt: { token: string } | { authorize: SlackInstallFlow['authorize'] };
  uninstalled?: SlackListenerDeps['uninstalled'];
}

function slackAccess(
  auth: SlackAuth,
  options: SlackAppOptions,
  made: {
    outboxClient: (token: string) => webApi.WebClient;
    clientOptions: webApi.WebClientOptions;
    logger: BoltLogger;
    log: Logger;
  },
): SlackAccess {
  if (auth.kind === 'token')
    return {
      clients: new SingleWorkspace(made.outboxClient(auth.botToken)),
      installFlow: null,
      bolt: { token: auth.botToken },
    };
  const store = options.installations;
  if (!store) throw new Error('the install flow needs an installation store');
  const clients = new InstalledWorkspaces(store, made.outboxClient, made.log);
  const installFlow = createSlackInstallFlow({
    clientId: auth.clientId,
    clientSecret: auth.clientSecret,
    stateSecret: auth.stateSecret,
    store,
    clientOptions: made.clientOptions,
    logger: made.logger,
    log: made.log,
    onInstalled: (id) => {
      clients.forget(id);
      options.onInstalled?.();
    },
  });
  return {
    clients,
    installFlow,
    bolt: { authorize: installFlow.authorize },
    uninstalled: async (from) => {
      await store.deleteInstallation({
        teamId: from.teamId,
        enterpriseId: from.enterpriseId,
        isEnterpriseInstall: from.isEnterpriseInstall,
      });
      for (const id of [from.teamId, from.enterpriseId]) if (id) clients.forget(id);
    },
  };
}

export function createSlackApp(
  mode: Exclude<SlackMode, { kind: 'off' }>,
  deps: SlackListenerDeps,
  replays: ReplayLedger,
  options: SlackAppOptions = {},
): SlackApp {
  const logger = boltLogger(deps.log);
  const clientOptions = {
    ...(mode.apiUrl ? { slackApiUrl: mode.apiUrl } : {}),
    ...(deps.metrics ? { fetch: observedSlackFetch(deps.metrics.apiCall) } : {}),
    timeout: mode.timeoutMs,
  };
  const outboxClient = (token: string) =>
    new webApi.WebClient(token, {
      ...clientOptions,
      logger,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  const { clients, installFlow, bolt, uninstalled } = slackAccess(mode.auth, options, {
    outboxClient,
    clientOptions,
    logger,
    log: deps.log,
  });
  const listenerDeps: SlackListenerDeps = uninstalled ? { ...deps, uninstalled } : deps;
  let app: App;
  let httpReceiver: SlackHttpReceiver | null = null;
  let connection: SlackConnection = mode.kind === 'socket' ? 'connecting' : 'n/a';
  const onSetAside = (body: Record<string, unknown>, reason: string) =>
    answerSetAside(body, reason, { localeOf: (userId) => deps.directory.localeOf(userId), log: deps.log });
  if (mode.kind === 'http') {
    httpReceiver = new SlackHttpReceiver({
      signingSecret: mode.signingSecret,
      known: KNOWN_SLACK_IDS,
      replays,
      log: deps.log,
      onSetAside,
    });
    app = new App({ ...bolt, receiver: httpReceiver, logger, clientOptions });
  } else {
    // Built here rather than by Bolt, to follow its socket's state (for /readyz).
    const receiver = new SocketModeReceiver({ appToken: mode.appToken, logger, installerOptions: { clientOptions } });
    for (const state of ['connecting', 'connected', 'reconnecting', 'disconnected'] as const)
      receiver.client.on(state, () => {
        connection = state;
      });
    app = new App({ ...bolt, receiver, logger, clientOptions });
    app.use(answerUnhandledAtOnce(deps.log, onSetAside));
  }
  app.error(async (error) => {
    deps.log.error('unhandled Slack listener error', { error: error.message, code: error.code });
  });
  registerListeners(app, listenerDeps);
  return {
    app,
    clients,
    installFlow,
    timeoutMs: mode.timeoutMs,
    httpReceiver,
    connection: () => connection,
    // In HTTP mode the shared server owns the port; Socket Mode has a connection to open.
    start: async () => {
      if (mode.kind === 'socket') await app.start();
    },
    stop: async () => {
      await app.stop();
    },
  };
}
