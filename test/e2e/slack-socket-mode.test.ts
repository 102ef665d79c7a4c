import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Leadpool } from '../../src/app.js';
import { FakeSlack } from '../support/fake-slack.js';
import { postLead, repId, startTestLeadpool } from '../support/leadpool.js';
import { buttonClick, slashCommand } from '../support/slack-requests.js';

let fake: FakeSlack;
let wss: WebSocketServer;
let app: Leadpool;
const acks: Record<string, unknown>[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  fake.socketUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/link`;
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', (data) => acks.push(JSON.parse(String(data))));
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake' } }));
  });
  app = await startTestLeadpool({ dataDir: 'memory://', slackApiUrl: fake.apiUrl, slackAppToken: 'xapp-test-token' });
});

afterAll(async () => {
  await app?.stop();
  for (const s of sockets) s.terminate();
  await new Promise((r) => wss.close(r));
  await fake?.stop();
});

describe('Slack Socket Mode', () => {
  it('connects through apps.connections.open, acknowledges a slash command envelope and answers it', async () => {
    expect(app.slack?.httpReceiver).toBeNull();
    expect(fake.of('apps.connections.open')).toHaveLength(1);
    await fake.waitFor(() => sockets.length === 1, 'socket connection');
    const created = await postLead(app, { team: 'alpha', name: 'Socket Lead' });
    expect(created.status).toBe(201);

    const envelope = {
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: slashCommand(repId(0), 'bogus', fake.responseUrl('sock1')),
    };
    sockets[0]?.send(JSON.stringify(envelope));
    await fake.waitFor(() => acks.some((a) => a.envelope_id === 'env-1'), 'envelope ack');
    await fake.waitFor(() => fake.responses().length === 1, 'command reply');
    expect(String(fake.responses()[0]?.body.text)).toContain('Unknown command "bogus"');
    // A click nothing listens for is acknowledged at once, as over HTTP.
    const click = JSON.parse(
      buttonClick(repId(0), 'no.such.action', '1', fake.responseUrl('sock2'), 'C0ALPHA').payload as string,
    );
    const sent = performance.now();
    sockets[0]?.send(
      JSON.stringify({ envelope_id: 'env-2', type: 'interactive', accepts_response_payload: false, payload: click }),
    );
    await fake.waitFor(() => acks.some((a) => a.envelope_id === 'env-2'), 'unknown action ack');
    expect(performance.now() - sent).toBeLessThan(1000);
    // Socket Mode needs no HTTP route for Slack.
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });
});
