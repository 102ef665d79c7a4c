import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorFields, type Logger } from '../infra/logger.js';
import { handleBatchIntake, handleIntake, type IntakeRouteDeps } from './intake.route.js';
import { openApiDocument } from './openapi.js';
import { sendJson } from './respond.js';

export interface HttpServerDeps {
  intake: IntakeRouteDeps;
  pingDatabase(): Promise<boolean>;
  slackListener: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  log: Logger;
}

export function createHttpServer(deps: HttpServerDeps): Server {
  return createServer((req, res) => {
    route(req, res, deps).catch((error) => {
      deps.log.error('http request failed', { path: req.url?.split('?')[0], ...errorFields(error) });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal', message: 'Something went wrong on our side.' });
      else res.end();
    });
  });
}

async function route(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/slack/events') {
    if (!deps.slackListener) {
      sendJson(res, 404, { error: 'slack_off', message: 'Slack is not enabled on this instance.' });
      return;
    }
    deps.slackListener(req, res);
    return;
  }
  if (path === '/api/leads' || path === '/api/leads/batch') {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'method_not_allowed', message: 'Use POST.' }, { allow: 'POST' });
      return;
    }
    await (path === '/api/leads' ? handleIntake : handleBatchIntake)(req, res, deps.intake);
    return;
  }
  if (path === '/api/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
    sendJson(res, 200, openApiDocument);
    return;
  }
  if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
    const up = await deps.pingDatabase();
    sendJson(res, up ? 200 : 503, { status: up ? 'ok' : 'degraded', database: up ? 'up' : 'down' });
    return;
  }
  sendJson(res, 404, { error: 'not_found', message: `No route for ${req.method} ${path}.` });
}
