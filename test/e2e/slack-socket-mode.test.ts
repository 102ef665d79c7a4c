import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { Leadpool } from '../../src/app.js';
import { FakeSlack } from '../support/fake-slack.js';
import { FakeSlackSocket } from '../support/fake-slack-socket.js';
import { postLead, repId, startTestLeadpool } from '../support/leadpool.js';
import { buttonClick, slashCommand, viewButtonClick } from '../support/slack-requests.js';
import { until } from '../support/until.js';

let fake: FakeSlack;
let app: Leadpool;
/** Slack's side of the socket: what the app opened, and what it acknowledged. */
const link = new FakeSlackSocket();
const { sockets, acks } = link;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  await link.start(fake);
  app = await startTestLeadpool({ dataDir: 'memory://', slackApiUrl: fake.apiUrl, slackAppToken: 'xapp-test-token' });
});

afterAll(async () => {
  await app?.stop();
  await link.stop();
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
    // …and the person is told, through the click's response URL, that the button does nothing now.
    await fake.waitFor(() => fake.calls.some((c) => c.method === 'respond:/respond/sock2'), 'the old-button answer');
    // Socket Mode needs no HTTP route for Slack.
    expect((await fetch(`${app.url}/slack/events`, { method: 'POST' })).status).toBe(404);
  });

  it('acknowledges Slack’s own Socket Mode frame (an app_mention it does not subscribe to), and a Home-tab click in Slack’s shape', async (ctx) => {
    const sample = join(
      import.meta.dirname,
      '../../../shared/data/platform-samples/slack.socket_events_api.app_mention.json',
    );
    if (!existsSync(sample)) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const frame = (JSON.parse(readFileSync(sample, 'utf8')) as { payload: Record<string, unknown> }).payload;
    sockets[0]?.send(JSON.stringify(frame));
    await fake.waitFor(() => acks.some((a) => a.envelope_id === frame.envelope_id), 'the sample frame’s ack');
    // The Home tab's buttons work over Socket Mode too: the click has no response_url.
    const { id } = (await (await postLead(app, { team: 'alpha', name: 'Socket Home Lead' })).json()) as { id: number };
    const click = JSON.parse(viewButtonClick(repId(0), 'lead.show', String(id)).payload as string);
    const opened = fake.of('views.open').length;
    sockets[0]?.send(
      JSON.stringify({ envelope_id: 'env-home', type: 'interactive', accepts_response_payload: false, payload: click }),
    );
    await fake.waitFor(() => fake.of('views.open').length > opened, 'the lead modal');
  });
});

describe('Slack Socket Mode readiness', () => {
  it('is ready while the socket is up, says so when Slack drops it, and is ready again once reconnected', async () => {
    await fake.waitFor(() => sockets.length >= 1, 'socket connection');
    const ready = async () => {
      const response = await fetch(`${app.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { reasons?: string[] } };
    };
    expect((await ready()).status).toBe(200);
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as {
      messengers: { slack: Record<string, unknown> };
    };
    expect(health.messengers.slack).toMatchObject({ state: 'on', transport: 'socket', connection: 'connected' });

    // Slack closes the socket: until the client has a new one, this instance hears nothing from Slack.
    const opens = fake.of('apps.connections.open').length;
    link.holdHello = true;
    for (const s of sockets.splice(0)) s.terminate();
    await fake.waitFor(() => fake.of('apps.connections.open').length > opens && sockets.length === 1, 'a new socket');
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.reasons?.some((r) => /^slack: socket (reconnecting|connecting|disconnected)$/.test(r))).toBe(true);
    link.holdHello = false;
    link.hello(sockets[0] as WebSocket);
    await until(async () => (await ready()).status === 200, 'readyz to be ready again', 20_000);
  }, 40_000);
});
