/**
 * Many workspaces over Socket Mode: the install flow runs on Leadpool's own server, every envelope
 * on the one socket is authorized by the installation of the workspace it came from, and each
 * team's cards go out with its own workspace's token. A rep of one workspace cannot claim the
 * other's lead under the same user id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { FakeSlack } from '../support/fake-slack.js';
import { FakeSlackSocket } from '../support/fake-slack-socket.js';
import { postLead, SLACK_OAUTH_APP, separateTeamYaml, startTestLeadpool } from '../support/leadpool.js';
import { installThroughSlack } from '../support/slack-oauth.js';
import { buttonClick } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const team = (id: string, workspace: string) => separateTeamYaml(id, { workspace });

let fake: FakeSlack;
let app: Leadpool;
/** Slack's side of the socket: what the app opened, and what it acknowledged. */
const link = new FakeSlackSocket();
const { sockets, acks } = link;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
  fake.client = { id: SLACK_OAUTH_APP.clientId, secret: SLACK_OAUTH_APP.clientSecret };
  await link.start(fake);
  app = await startTestLeadpool({
    dataDir: 'memory://',
    slackApiUrl: fake.apiUrl,
    slackAppToken: 'xapp-test-token',
    slackInstalls: true,
    teams: `teams:\n${team('east', 'T0EAST')}\n${team('west', 'T0WEST')}\n`,
  });
});

afterAll(async () => {
  await app?.stop();
  await link.stop();
  await fake?.stop();
});

let seq = 0;
/** A claim click as Slack sends it over the socket, from `workspace`. */
async function clickOverSocket(leadId: number, workspace: string): Promise<string> {
  const form = buttonClick('U0SAME', 'lead.claim', String(leadId), fake.responseUrl(`sock-${++seq}`), 'C0WEST');
  const payload = JSON.parse(String(form.payload).replaceAll('T0TEST', workspace));
  const envelopeId = `env-${seq}`;
  sockets
    .at(-1)
    ?.send(JSON.stringify({ envelope_id: envelopeId, type: 'interactive', accepts_response_payload: false, payload }));
  await until(() => acks.some((a) => a.envelope_id === envelopeId), `the ack of ${envelopeId}`);
  return `respond:/respond/sock-${seq}`;
}

async function ownerName(leadId: number): Promise<string | null> {
  const lead = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { owner: true } });
  return lead.owner?.displayName ?? null;
}

describe('many Slack workspaces over Socket Mode', () => {
  it('installs over HTTP, and keeps each workspace’s rep to their own team’s leads on the one socket', async () => {
    await until(() => sockets.length === 1, 'the socket');
    // Socket Mode connects with the app-level token, which is the app's, not a workspace's.
    expect(fake.of('apps.connections.open')[0]?.token).toBe('xapp-test-token');
    const east = {
      token: 'xoxb-east-s',
      botUserId: 'UBOTE',
      team: { id: 'T0EAST', name: 'East' },
      channels: ['C0EAST'],
    };
    const west = {
      token: 'xoxb-west-s',
      botUserId: 'UBOTW',
      team: { id: 'T0WEST', name: 'West' },
      channels: ['C0WEST'],
    };
    expect((await installThroughSlack(app.url, fake, east)).status).toBe(200);
    expect((await installThroughSlack(app.url, fake, west)).status).toBe(200);

    const res = await postLead(app, { team: 'west', name: 'Socket West', company: 'Westco' });
    const { id } = (await res.json()) as { id: number };
    await until(() => fake.to('chat.postMessage', 'C0WEST').length === 1, 'the west card');
    expect(fake.to('chat.postMessage', 'C0WEST')[0]?.token).toBe(west.token);

    // East's U0SAME: refused (told through the click's response URL), the lead untouched.
    const refusal = await clickOverSocket(id, 'T0EAST');
    await until(() => fake.calls.some((c) => c.method === refusal), 'the refusal');
    expect(await ownerName(id)).toBeNull();
    // A workspace that never installed: acknowledged, nothing done, nothing said.
    const silent = await clickOverSocket(id, 'T0OTHER');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls.some((c) => c.method === silent)).toBe(false);
    expect(await ownerName(id)).toBeNull();
    // West's U0SAME claims it, and the card is edited with west's token.
    await clickOverSocket(id, 'T0WEST');
    await until(async () => (await ownerName(id)) === 'Rep of west', 'the west rep to own it');
    await until(() => fake.to('chat.update', 'C0WEST').length > 0, 'the card edit');
    expect(fake.to('chat.update', 'C0WEST').every((c) => c.token === west.token)).toBe(true);
    // Nothing of west's was posted or edited with east's token (only east's refusal was tried there, and refused).
    const eastInWest = fake.calls.filter((c) => c.token === east.token && c.body.channel === 'C0WEST');
    expect(eastInWest.map((c) => c.method)).toEqual(['chat.postEphemeral']);
  });
});
