/**
 * Several Lark tenants from one deployment: a self-built app belongs to one tenant, so each tenant
 * has its own app (LARK_APP_ID, then LARK_APPS). Each app has its own token, its own callbacks
 * (at /lark/events/<app id>, checked with its own secrets) and its own users (an open_id is per
 * app): the same open_id in two apps is two people. The fake gives a token only for an app's own
 * secret and refuses a message to a chat the app is not in, as Lark does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeLark } from '../support/fake-lark.js';
import { cardClick, postLarkCallback, signedLarkRequest } from '../support/lark-requests.js';
import { LARK_APP, postLead, separateTeamYaml, startTestLeadpool } from '../support/leadpool.js';
import { until } from '../support/until.js';

const SECOND = {
  id: 'cli_b2c3d4e5f6071829',
  secret: 'second-secret',
  token: 'second-verification-token',
  key: 'second-encrypt-key',
};

const team = (id: string, larkChat: string, larkApp?: string) => separateTeamYaml(id, { larkChat, larkApp });

let db: TestDatabase;
let fake: FakeLark;
let app: Leadpool;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeLark();
  await fake.start();
  fake.apps.set(LARK_APP.id, { secret: LARK_APP.secret, chats: ['oc_east'] });
  fake.apps.set(SECOND.id, { secret: SECOND.secret, chats: ['oc_west'] });
  app = await startTestLeadpool({
    databaseUrl: db.url,
    lark: { url: fake.url, transport: 'http', moreApps: [SECOND] },
    teams: `teams:\n${team('east', 'oc_east')}\n${team('west', 'oc_west', SECOND.id)}\n`,
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await db?.drop();
});

async function newLead(teamId: string, name: string): Promise<number> {
  const res = await postLead(app, { team: teamId, name, company: `${name} Co` });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function ownerName(leadId: number): Promise<string | null> {
  const lead = await app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { owner: true } });
  return lead.owner?.displayName ?? null;
}

/**
 * A claim click as `inApp`'s callbacks carry it: its app id, token and tenant in the header, the
 * operator of that tenant, sealed with the app's key.
 */
function claimIn(inApp: typeof LARK_APP, leadId: number, messageId: string, chatId: string) {
  const click = cardClick({
    openId: 'ou_same',
    value: { action: 'lead.claim', lead: String(leadId) },
    messageId,
    chatId,
  }) as { header: Record<string, unknown>; event: { operator: Record<string, unknown> } };
  const tenantKey = `tenant-of-${inApp.id}`;
  const payload = {
    ...click,
    header: { ...click.header, token: inApp.token, app_id: inApp.id, tenant_key: tenantKey },
    event: { ...click.event, operator: { ...click.event.operator, tenant_key: tenantKey } },
  };
  return { payload, request: signedLarkRequest(payload, inApp.key) };
}

describe('several Lark apps, one per tenant', () => {
  it("sends each team's cards through its own app, with that app's token", async () => {
    await newLead('east', 'East Lead');
    await newLead('west', 'West Lead');
    await until(() => fake.to('oc_east').length === 1 && fake.to('oc_west').length === 1, 'both cards');
    expect(fake.to('oc_east')[0]?.token).toBe(`t-${LARK_APP.id}`);
    expect(fake.to('oc_west')[0]?.token).toBe(`t-${SECOND.id}`);
    // Each app asked for its own tenant token with its own secret.
    const grants = fake.calls.filter((c) => c.path.endsWith('/tenant_access_token/internal'));
    expect(new Set(grants.map((c) => c.body.app_id))).toEqual(new Set([LARK_APP.id, SECOND.id]));
    expect(await app.db.prisma.outboxMessage.count({ where: { lastError: { not: null } } })).toBe(0);
  });

  it("takes each app's callbacks with that app's secrets only, and its people as that app's users", async () => {
    const id = await newLead('west', 'Contested');
    await until(() => fake.to('oc_west').some((m) => JSON.stringify(m.card).includes('Contested')), 'the card');
    const card = fake.to('oc_west').find((m) => JSON.stringify(m.card).includes('Contested'));
    const messageId = String(card?.messageId);
    // The first app's ou_same (another person: open_ids are per app) clicks the west card: refused.
    const first = claimIn(LARK_APP, id, messageId, 'oc_west');
    const refused = await postLarkCallback(app.url, first.payload, first.request);
    expect(refused.status).toBe(200);
    const toast = refused.body.toast as { type: string; content: string };
    expect(toast.type).toBe('warning');
    expect(toast.content).toContain('not a member of team Team west');
    expect(await ownerName(id)).toBeNull();
    // The first app's callback sent to the second app's address does not pass the second's checks.
    const misrouted = await postLarkCallback(app.url, first.payload, first.request, `/lark/events/${SECOND.id}`);
    expect(misrouted.status).toBeGreaterThanOrEqual(400);
    expect(await ownerName(id)).toBeNull();
    // An app this deployment does not serve has no address.
    expect(
      (await postLarkCallback(app.url, first.payload, first.request, '/lark/events/cli_0000000000000000')).status,
    ).toBe(404);
    // The second app's ou_same is the west rep: the claim is theirs, the card edited in the second app.
    const second = claimIn(SECOND, id, messageId, 'oc_west');
    const won = await postLarkCallback(app.url, second.payload, second.request, `/lark/events/${SECOND.id}`);
    expect((won.body.toast as { type: string }).type).toBe('success');
    expect(await ownerName(id)).toBe('Rep of west');
    await until(() => fake.patches.some((p) => p.messageId === messageId), 'the card edit');
    const edits = fake.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(messageId));
    expect(edits.every((c) => c.token === `t-${SECOND.id}`)).toBe(true);
  });

  it('reports each app on /healthz', async () => {
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as {
      messengers: { lark: { apps?: { appId: string; connection: string }[] } };
    };
    expect(health.messengers.lark.apps?.map((a) => a.appId)).toEqual([LARK_APP.id, SECOND.id]);
  });
});
