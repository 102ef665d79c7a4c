/**
 * Many Slack workspaces from one deployment, through Slack's install flow (the SDK's
 * InstallProvider on our server, the fake answering oauth.v2.access as Slack's reference shows):
 * each workspace's installation is kept sealed in PostgreSQL, each team's cards and DMs go out with
 * its own workspace's token, each click is authorized by the installation of the workspace it came
 * from, and an uninstall forgets the tokens. The fake refuses, as Slack does, a token it never
 * handed out and a channel outside the token's workspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_SCOPES } from '../../src/messengers/slack/install-flow.js';
import type { FakeInstall } from '../support/fake-slack.js';
import { postLead, SLACK_OAUTH_APP, separateTeamYaml } from '../support/leadpool.js';
import { installThroughSlack, startInstall } from '../support/slack-oauth.js';
import { claimClick, postSigned, signedEvent, signedForm } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { until } from '../support/until.js';

const team = (id: string, workspace: string) => separateTeamYaml(id, { workspace, manager: true });
const suite = useSlackSuite(
  `teams:\n${team('east', 'T0EAST')}\n${team('west', 'T0WEST')}\n${team('north', 'T0NORTH')}\n`,
  { slackInstalls: true },
);

const EAST: FakeInstall = {
  token: 'xoxb-east-1',
  botUserId: 'UBOTEAST',
  team: { id: 'T0EAST', name: 'East <&> Co' },
  channels: ['C0EAST'],
};
const WEST: FakeInstall = {
  token: 'xoxb-west-1',
  botUserId: 'UBOTWEST',
  team: { id: 'T0WEST', name: 'West' },
  channels: ['C0WEST'],
};
/** An Enterprise Grid organisation's org-wide install (the ids of Slack's org-install sample), granted to north. */
const ORG: FakeInstall = {
  token: 'xoxb-org-1',
  botUserId: 'UBOTORG',
  team: null,
  enterprise: { id: 'E111', name: 'Sandbox Org' },
  channels: ['C0NORTH'],
  workspaces: ['T0NORTH'],
};

let sql: pg.Pool;
beforeAll(() => {
  sql = new pg.Pool({ connectionString: suite.db.url, max: 1 });
  suite.fake.client = { id: SLACK_OAUTH_APP.clientId, secret: SLACK_OAUTH_APP.clientSecret };
});
afterAll(async () => {
  await sql?.end();
});

const url = () => suite.app.url;
let seq = 0;

const start = () => startInstall(url());
const install = (what: FakeInstall, language = 'en') => installThroughSlack(url(), suite.fake, what, language);

const rows = async () =>
  (await sql.query<{ key: string; sealed: string }>('SELECT key, sealed FROM slack_installation ORDER BY key')).rows;

async function newLead(teamId: string, name: string): Promise<number> {
  const res = await postLead(suite.app, { team: teamId, name, company: `${name} Co` });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The posts to a channel, with the token each was made with. */
const postsTo = (channel: string) => suite.fake.to('chat.postMessage', channel);

async function ownerName(leadId: number): Promise<string | null> {
  const lead = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { owner: true } });
  return lead.owner?.displayName ?? null;
}

const fromWorkspace = (form: Record<string, string>, workspace: string) =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.replaceAll('T0TEST', workspace)]));

describe('the Slack install flow', () => {
  it("sends the browser to Slack with the app's client id, the manifest's scopes and a state tied to it by a cookie", async () => {
    const { location, state, setCookie } = await start();
    expect(`${location.origin}${location.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(location.searchParams.get('client_id')).toBe(SLACK_OAUTH_APP.clientId);
    expect(location.searchParams.get('scope')).toBe(BOT_SCOPES.join(','));
    expect(state.length).toBeGreaterThan(20);
    expect(setCookie).toContain(`slack-app-oauth-state=${state}`);
    expect(setCookie).toContain('HttpOnly');
  });

  it('refuses a redirect without the browser’s state, and one the person cancelled, storing nothing', async () => {
    const { state } = await start();
    suite.fake.installs.set('code-stolen', EAST);
    // The code and state, but from another browser (no cookie): a forged or replayed redirect.
    const forged = await fetch(`${url()}/slack/oauth_redirect?code=code-stolen&state=${encodeURIComponent(state)}`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('opened in another browser');
    const cancelled = await fetch(`${url()}/slack/oauth_redirect?error=access_denied&state=x`, {
      headers: { 'accept-language': 'zh-CN,zh;q=0.9' },
    });
    expect(cancelled.status).toBe(400);
    expect(await cancelled.text()).toContain('安装已取消');
    expect(suite.fake.of('oauth.v2.access')).toHaveLength(0);
    expect(await rows()).toEqual([]);
    suite.fake.installs.delete('code-stolen');
  });

  it('keeps each workspace’s install sealed, and sends each team’s cards with its own workspace’s token', async () => {
    const west = await newLead('west', 'Early West');
    const done = await install(EAST);
    expect(done.status).toBe(200);
    // The workspace's name is Slack's text: escaped on the page.
    expect(await done.text()).toContain('East &lt;&amp;&gt; Co');
    const exchange = suite.fake.of('oauth.v2.access')[0];
    expect(exchange?.body).toMatchObject({
      client_id: SLACK_OAUTH_APP.clientId,
      code: expect.stringMatching(/^code-/),
    });
    const stored = await rows();
    expect(stored.map((r) => r.key)).toEqual(['T:T0EAST']);
    expect(stored[0]?.sealed).not.toContain('xoxb');

    const east = await newLead('east', 'First East');
    await until(() => postsTo('C0EAST').length === 1, 'the east card');
    expect(postsTo('C0EAST')[0]?.token).toBe(EAST.token);
    // West has not installed: its card waits, and the log says why.
    await suite.app.relay.drain();
    expect(postsTo('C0WEST')).toHaveLength(0);
    expect(suite.logLines.some((l) => l.includes('has no installation') && l.includes('T0WEST'))).toBe(true);

    // West installs: its waiting card goes out at once, with west's token.
    expect((await install(WEST)).status).toBe(200);
    await until(() => postsTo('C0WEST').length === 1, 'the west card, once west installed', 10_000);
    expect(postsTo('C0WEST')[0]?.token).toBe(WEST.token);
    expect(JSON.stringify(postsTo('C0WEST')[0]?.body)).toContain('Early West');
    // No call was refused by Slack: none went with a token to another workspace's channel.
    const withTokens = suite.fake.calls.filter((c) => c.token.startsWith('xoxb-'));
    expect(withTokens.filter((c) => c.body.channel === 'C0EAST').every((c) => c.token === EAST.token)).toBe(true);
    expect(withTokens.filter((c) => c.body.channel === 'C0WEST').every((c) => c.token === WEST.token)).toBe(true);
    expect(await suite.app.db.prisma.outboxMessage.count({ where: { lastError: { not: null } } })).toBe(0);
    expect(await ownerName(east)).toBeNull();
    expect(await ownerName(west)).toBeNull();
  });

  it('authorizes each click by the installation of its own workspace; a workspace without one gets nothing', async () => {
    const id = await newLead('west', 'Contested West');
    await until(() => postsTo('C0WEST').some((c) => JSON.stringify(c.body).includes('Contested West')), 'the card');
    const events = `${url()}/slack/events`;
    // East's U0SAME clicks the west card: refused. East's bot cannot post in west's channel
    // (Slack says channel_not_found), so the person is told through the click's response URL.
    const eastReply = `east-${++seq}`;
    await postSigned(
      events,
      signedForm(fromWorkspace(claimClick('U0SAME', id, suite.fake.responseUrl(eastReply), 'C0WEST'), 'T0EAST')),
    );
    await until(() => suite.fake.calls.some((c) => c.method === `respond:/respond/${eastReply}`), 'the refusal');
    const refusal = suite.fake.calls.find((c) => c.method === `respond:/respond/${eastReply}`);
    expect(refusal?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(suite.fake.of('chat.postEphemeral').at(-1)?.token).toBe(EAST.token);
    expect(suite.fake.calls.filter((c) => c.token === WEST.token && c.body.user === 'U0SAME')).toHaveLength(0);
    expect(await ownerName(id)).toBeNull();
    // A workspace that never installed the app: acknowledged, and nothing happens.
    const stranger = await postSigned(
      events,
      signedForm(fromWorkspace(claimClick('U0SAME', id, suite.fake.responseUrl(`x-${++seq}`), 'C0WEST'), 'T0OTHER')),
    );
    expect(stranger.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await ownerName(id)).toBeNull();
    expect(suite.fake.calls.some((c) => c.method === `respond:/respond/x-${seq}`)).toBe(false);
    // West's U0SAME claims it: the card is edited with west's token.
    const updates = suite.fake.to('chat.update', 'C0WEST').length;
    await postSigned(
      events,
      signedForm(fromWorkspace(claimClick('U0SAME', id, suite.fake.responseUrl(`w-${++seq}`), 'C0WEST'), 'T0WEST')),
    );
    await until(async () => (await ownerName(id)) === 'Rep of west', 'the west rep to own it');
    await until(() => suite.fake.to('chat.update', 'C0WEST').length > updates, 'the card edit');
    expect(suite.fake.to('chat.update', 'C0WEST').every((c) => c.token === WEST.token)).toBe(true);
    // The west rep's own desk (App Home) is published to them in west, with west's token, never east's.
    await until(() => suite.fake.of('views.publish').some((c) => c.token === WEST.token), 'the west desk');
    const desks = suite.fake.of('views.publish').filter((c) => c.body.user_id === 'U0SAME');
    expect(desks.map((c) => c.token)).not.toContain(EAST.token);
  });

  it('serves an Enterprise Grid workspace by its organisation’s org-wide install', async (ctx) => {
    const path = join(
      import.meta.dirname,
      '../../../shared/data/platform-samples/slack.block_actions.org-install-ephemeral.json',
    );
    if (!existsSync(path)) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const done = await install(ORG);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Sandbox Org');
    expect((await rows()).map((r) => r.key)).toContain('E:E111');
    const id = await newLead('north', 'North Lead');
    // The org's token, for the workspace Slack lists as granted to it.
    await until(() => postsTo('C0NORTH').length === 1, 'the north card');
    expect(postsTo('C0NORTH')[0]?.token).toBe(ORG.token);
    expect(suite.fake.of('auth.teams.list').some((c) => c.token === ORG.token)).toBe(true);
    // A click in Slack's org-install shape (no team; the user's workspace named) is authorized by the org's install.
    const sample = (JSON.parse(readFileSync(path, 'utf8')) as { payload: Record<string, unknown> }).payload;
    const click = {
      payload: JSON.stringify({
        ...sample,
        user: { ...(sample.user as object), id: 'U0SAME', team_id: 'T0NORTH' },
        container: { ...(sample.container as object), channel_id: 'C0NORTH', is_ephemeral: false },
        channel: { id: 'C0NORTH', name: 'north' },
        response_url: suite.fake.responseUrl(`org-${++seq}`),
        actions: [{ ...((sample.actions as object[])[0] as object), action_id: 'lead.claim', value: String(id) }],
      }),
    };
    await postSigned(`${url()}/slack/events`, signedForm(click));
    await until(async () => (await ownerName(id)) === 'Rep of north', 'the north rep to own it');
  });

  it('forgets a workspace at app_uninstalled, and at tokens_revoked only when the bot’s token goes', async () => {
    const events = `${url()}/slack/events`;
    // Only a person's token revoked: the bot's install stays.
    const kept = await postSigned(
      events,
      signedEvent({ type: 'tokens_revoked', tokens: { oauth: ['U0INSTALLER'] } }, `Ev${++seq}`, { team_id: 'T0WEST' }),
    );
    expect(kept.status).toBe(200);
    await new Promise((r) => setTimeout(r, 200));
    expect((await rows()).map((r) => r.key)).toContain('T:T0WEST');
    // East uninstalls (Slack revokes its token): east's row goes, west's and the org's stay.
    suite.fake.revoked.add(EAST.token);
    await postSigned(events, signedEvent({ type: 'app_uninstalled' }, `Ev${++seq}`, { team_id: 'T0EAST' }));
    await until(async () => !(await rows()).some((r) => r.key === 'T:T0EAST'), 'east forgotten');
    expect((await rows()).map((r) => r.key)).toEqual(['E:E111', 'T:T0WEST']);
    // East's next card is not sent with the revoked token (it waits); west's goes on.
    const eastCalls = suite.fake.calls.filter((c) => c.token === EAST.token).length;
    await newLead('east', 'After Uninstall');
    await newLead('west', 'West Goes On');
    await until(() => postsTo('C0WEST').some((c) => JSON.stringify(c.body).includes('West Goes On')), 'the west card');
    await suite.app.relay.drain();
    expect(suite.fake.calls.filter((c) => c.token === EAST.token).length).toBe(eastCalls);
    // West's bot token revoked: west is forgotten too.
    await postSigned(
      events,
      signedEvent({ type: 'tokens_revoked', tokens: { bot: [WEST.botUserId] } }, `Ev${++seq}`, { team_id: 'T0WEST' }),
    );
    await until(async () => (await rows()).map((r) => r.key).join() === 'E:E111', 'west forgotten');
  });

  it('stops using a token Slack refuses, when another instance heard of the uninstall', async () => {
    // The organisation uninstalled, and another instance forgot it: this one only meets the refusal.
    await sql.query(`DELETE FROM slack_installation WHERE key = 'E:E111'`);
    suite.fake.revoked.add(ORG.token);
    const before = suite.fake.calls.filter((c) => c.token === ORG.token).length;
    await newLead('north', 'After Org Left');
    await until(() => suite.fake.calls.filter((c) => c.token === ORG.token).length > before, 'the one refused try');
    // Its retry, brought forward: the installation is read again, and there is none.
    await until(async () => {
      await sql.query(`UPDATE outbox_message SET available_at = now() WHERE sink = 'slack' AND sent_at IS NULL`);
      await suite.app.relay.drain();
      return suite.logLines.some((l) => l.includes('has no installation') && l.includes('T0NORTH'));
    }, 'the retry to find no installation');
    // One try with the refused token, then the card waits for an install: never given up on.
    expect(suite.fake.calls.filter((c) => c.token === ORG.token).length - before).toBe(1);
    const waiting = await suite.app.db.prisma.outboxMessage.findMany({ where: { sink: 'slack', sentAt: null } });
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting.every((m) => m.deadAt === null)).toBe(true);
  });
});
