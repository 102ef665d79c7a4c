import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as BoltLogger, webApi } from '@slack/bolt';
import { type CallbackOptions, type CodedError, ErrorCode, type Installation, InstallProvider } from '@slack/oauth';
import type { Locale } from '../../domain/leads/lead.js';
import { type MessageKey, t } from '../../i18n/catalog.js';
import { errorFields, type Logger } from '../../infra/logger.js';
import type { SlackInstallationStore } from './installation-store.js';

/** The bot scopes an install asks for: the manifest's (a test keeps the two the same). */
export const BOT_SCOPES = [
  'channels:history',
  'chat:write',
  'commands',
  'files:write',
  'groups:history',
  'im:history',
  'im:write',
] as const;

export interface SlackInstallFlowOptions {
  clientId: string;
  clientSecret: string;
  stateSecret: string;
  store: SlackInstallationStore;
  clientOptions: webApi.WebClientOptions;
  logger: BoltLogger;
  log: Logger;
  /** A workspace (or organisation) installed the app: forget what was remembered of it. */
  onInstalled(workspaceOrOrg: string): void;
}

/** GET /slack/install and GET /slack/oauth_redirect, and Bolt's authorize from the installations. */
export interface SlackInstallFlow {
  install(req: IncomingMessage, res: ServerResponse): Promise<void>;
  redirect(req: IncomingMessage, res: ServerResponse): Promise<void>;
  authorize: InstallProvider['authorize'];
}

/**
 * Slack's OAuth install flow through its SDK's InstallProvider. The state is signed with the state
 * secret and tied to the browser by a cookie, so any instance can finish a flow another started.
 * `/slack/install` sends the browser straight to Slack (no landing page of ours to keep).
 */
export function createSlackInstallFlow(options: SlackInstallFlowOptions): SlackInstallFlow {
  const installer = new InstallProvider({
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    stateSecret: options.stateSecret,
    installationStore: options.store,
    clientOptions: options.clientOptions,
    logger: options.logger,
    directInstall: true,
  });
  const callback: CallbackOptions = {
    success: (installation, _options, req, res) => {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (id) options.onInstalled(id);
      options.log.info('Slack installed', {
        workspace: installation.team?.id,
        organisation: installation.enterprise?.id,
        orgWide: installation.isEnterpriseInstall === true,
      });
      page(res, 200, localeOf(req), 'slack.install.done', { workspace: workspaceName(installation) });
    },
    failure: (error, _options, req, res) => {
      const { status, key } = failureOf(error);
      options.log.warn('Slack install did not finish', { code: error.code, status });
      page(res, status, localeOf(req), key, {});
    },
  };
  return {
    install: (req, res) =>
      installer.handleInstallPath(req, res, undefined, { scopes: [...BOT_SCOPES] }).catch((error: unknown) => {
        options.log.error('Slack install could not start', errorFields(error));
        page(res, 500, localeOf(req), 'slack.install.failed', {});
      }),
    redirect: (req, res) => installer.handleCallback(req, res, callback),
    authorize: installer.authorize,
  };
}

function workspaceName(installation: Installation): string {
  return (installation.isEnterpriseInstall ? installation.enterprise?.name : installation.team?.name) ?? '';
}

/** A refused or abandoned flow is the browser's to start again (4xx); a failed exchange with Slack is not (502). */
function failureOf(error: CodedError): { status: number; key: MessageKey } {
  switch (error.code) {
    case ErrorCode.MissingStateError:
    case ErrorCode.InvalidStateError:
    case ErrorCode.MissingCodeError:
      return { status: 400, key: 'slack.install.expired' };
    case ErrorCode.AuthorizationError:
      return { status: 400, key: 'slack.install.cancelled' };
    default:
      return { status: 502, key: 'slack.install.failed' };
  }
}

function localeOf(req: IncomingMessage): Locale {
  return /^\s*zh/i.test(String(req.headers['accept-language'] ?? '')) ? 'zh-CN' : 'en';
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

/** A small page in the reader's language; the workspace's name is Slack's text, escaped. */
function page(res: ServerResponse, status: number, locale: Locale, key: MessageKey, params: Record<string, string>) {
  const text = escapeHtml(t(locale, key, params));
  const lang = locale === 'zh-CN' ? 'zh-CN' : 'en';
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(
    `<!doctype html><html lang="${lang}"><meta charset="utf-8"><title>Leadpool</title><body><p>${text}</p></body></html>`,
  );
}
