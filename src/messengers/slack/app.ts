import type { IncomingMessage, ServerResponse } from 'node:http';
import { App, type Logger as BoltLogger, HTTPReceiver, LogLevel } from '@slack/bolt';
import type { SlackMode } from '../../config/env.js';
import type { Logger } from '../../infra/logger.js';
import { registerAnswerDuplicateActions } from './listeners/actions/answer-duplicate.js';
import { registerClaimLeadAction } from './listeners/actions/claim-lead.js';
import { registerLeadCommand } from './listeners/commands/lead-command.js';
import type { SlackListenerDeps } from './listeners/deps.js';
import { registerNewLeadModal } from './listeners/views/new-lead.js';

export interface SlackApp {
  app: App;
  /** Set in HTTP mode: handles POST /slack/events on the shared server. */
  requestListener: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  start(): Promise<void>;
  stop(): Promise<void>;
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

export function createSlackApp(mode: Exclude<SlackMode, { kind: 'off' }>, deps: SlackListenerDeps): SlackApp {
  const logger = boltLogger(deps.log);
  const clientOptions = mode.apiUrl ? { slackApiUrl: mode.apiUrl } : undefined;
  let app: App;
  let requestListener: SlackApp['requestListener'] = null;
  if (mode.kind === 'http') {
    const receiver = new HTTPReceiver({ signingSecret: mode.signingSecret, logger });
    app = new App({ token: mode.botToken, receiver, logger, clientOptions });
    requestListener = receiver.requestListener;
  } else {
    app = new App({ token: mode.botToken, appToken: mode.appToken, socketMode: true, logger, clientOptions });
  }
  app.error(async (error) => {
    deps.log.error('unhandled Slack listener error', { error: error.message, code: error.code });
  });
  registerClaimLeadAction(app, deps);
  registerAnswerDuplicateActions(app, deps);
  registerLeadCommand(app, deps);
  registerNewLeadModal(app, deps);
  return {
    app,
    requestListener,
    // In HTTP mode the shared server owns the port; only Socket Mode has a connection to open.
    start: async () => {
      if (mode.kind === 'socket') await app.start();
    },
    stop: async () => {
      if (mode.kind === 'socket') await app.stop();
    },
  };
}
