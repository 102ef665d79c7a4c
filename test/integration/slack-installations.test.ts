/**
 * The store of Slack installations (OAuth installs of many workspaces) in PostgreSQL: tokens are
 * sealed at rest and bound to their row, a workspace of an organisation that installed org-wide is
 * served by the organisation's row, a workspace's own install comes first, an uninstall forgets
 * the tokens, and the wrong key says so. The org-install ids are those of Slack's own org-install
 * sample (enterprise E111, workspace T111).
 */
import { type Installation, type InstallationQuery, webApi } from '@slack/bolt';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryDeferred } from '../../src/domain/notifications/notification-sink.js';
import { SealedBox, SealedBoxError } from '../../src/infra/crypto/sealed-box.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaInstallationRows } from '../../src/infra/db/slack-installation.repository.js';
import { createLogger } from '../../src/infra/logger.js';
import { SlackInstallationStore } from '../../src/messengers/slack/installation-store.js';
import { InstalledWorkspaces, NOT_INSTALLED_WAIT_MS } from '../../src/messengers/slack/workspaces.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const OTHER_KEY = 'ab'.repeat(32);
let scratch: TestDatabase;
let db: Database;
let sql: pg.Pool;

beforeAll(async () => {
  scratch = await createTestDatabase();
  db = await openDatabase({ url: scratch.url, dataDir: '', poolSize: 2 });
  sql = new pg.Pool({ connectionString: scratch.url, max: 1 });
});
afterAll(async () => {
  await sql?.end();
  await db?.close();
  await scratch?.drop();
});

const storeWith = (key: string) =>
  new SlackInstallationStore(new PrismaInstallationRows(db.prisma, new SealedBox(key)));
/** How Bolt asks for a workspace's installation (an org's workspace names its enterprise too). */
const inWorkspace = (teamId: string, enterpriseId?: string): InstallationQuery<false> => ({
  teamId,
  enterpriseId,
  isEnterpriseInstall: false,
});
const inOrg = (enterpriseId: string): InstallationQuery<true> => ({
  teamId: undefined,
  enterpriseId,
  isEnterpriseInstall: true,
});
const workspace = (teamId: string, token: string, enterpriseId?: string): Installation<'v2', false> => ({
  team: { id: teamId, name: `Workspace ${teamId}` },
  enterprise: enterpriseId ? { id: enterpriseId, name: 'Org' } : undefined,
  user: { token: undefined, scopes: undefined, id: 'U0INSTALLER' },
  bot: { token, scopes: ['chat:write', 'commands'], id: 'B0BOT', userId: 'U0BOT' },
  appId: 'A111',
  tokenType: 'bot',
  isEnterpriseInstall: false,
  authVersion: 'v2',
});
const orgWide = (enterpriseId: string, token: string): Installation<'v2', true> => ({
  team: undefined,
  enterprise: { id: enterpriseId, name: 'Org' },
  user: { token: undefined, scopes: undefined, id: 'W0INSTALLER' },
  bot: { token, scopes: ['chat:write', 'commands'], id: 'B0ORG', userId: 'U0ORGBOT' },
  appId: 'A111',
  tokenType: 'bot',
  isEnterpriseInstall: true,
  enterpriseUrl: 'https://org.enterprise.slack.com/',
  authVersion: 'v2',
});

describe('Slack installations', () => {
  it('keeps each workspace its own token, sealed: the database never holds it in the clear', async () => {
    const store = storeWith(KEY);
    await store.storeInstallation(workspace('T0AAA', 'xoxb-aaa-secret'));
    await store.storeInstallation(workspace('T0BBB', 'xoxb-bbb-secret'));
    expect((await store.fetchInstallation(inWorkspace('T0AAA'))).bot?.token).toBe('xoxb-aaa-secret');
    expect((await store.fetchInstallation(inWorkspace('T0BBB'))).bot?.token).toBe('xoxb-bbb-secret');
    const { rows } = await sql.query<{ row: string }>('SELECT row_to_json(s)::text AS row FROM slack_installation s');
    expect(rows).toHaveLength(2);
    for (const { row } of rows) expect(row).not.toMatch(/xoxb|secret/);
    // A reinstall replaces the token.
    await store.storeInstallation(workspace('T0AAA', 'xoxb-aaa-renewed'));
    expect((await store.fetchInstallation(inWorkspace('T0AAA'))).bot?.token).toBe('xoxb-aaa-renewed');
    await expect(store.fetchInstallation(inWorkspace('T0ZZZ'))).rejects.toThrow(/no Slack installation for T:T0ZZZ/);
  });

  it("serves an organisation's workspaces from its org-wide install, a workspace's own install first", async () => {
    const store = storeWith(KEY);
    await store.storeInstallation(orgWide('E111', 'xoxb-org-secret'));
    const viaWorkspace = await store.fetchInstallation({
      teamId: 'T111',
      enterpriseId: 'E111',
      isEnterpriseInstall: false,
    });
    expect(viaWorkspace.bot?.token).toBe('xoxb-org-secret');
    expect(viaWorkspace.isEnterpriseInstall).toBe(true);
    expect((await store.fetchInstallation(inOrg('E111'))).bot?.token).toBe('xoxb-org-secret');
    await store.storeInstallation(workspace('T222', 'xoxb-own-secret', 'E111'));
    expect((await store.fetchInstallation(inWorkspace('T222', 'E111'))).bot?.token).toBe('xoxb-own-secret');
    expect((await new PrismaInstallationRows(db.prisma, new SealedBox(KEY)).list()).map((i) => i.key)).toEqual([
      'E:E111',
      'T:T0AAA',
      'T:T0BBB',
      'T:T222',
    ]);
  });

  it('forgets the tokens when the app is uninstalled, and an org uninstall leaves the workspaces installed on their own', async () => {
    const store = storeWith(KEY);
    await store.deleteInstallation(inWorkspace('T0BBB'));
    await expect(store.fetchInstallation(inWorkspace('T0BBB'))).rejects.toThrow(/no Slack installation/);
    await store.deleteInstallation(inOrg('E111'));
    await expect(store.fetchInstallation(inWorkspace('T111', 'E111'))).rejects.toThrow(/no Slack installation/);
    expect((await store.fetchInstallation(inWorkspace('T222', 'E111'))).bot?.token).toBe('xoxb-own-secret');
  });

  it('says so when the key is not the one the tokens were sealed with, or a row was copied over another', async () => {
    const wrong = storeWith(OTHER_KEY);
    await expect(wrong.fetchInstallation(inWorkspace('T0AAA'))).rejects.toBeInstanceOf(SealedBoxError);
    await sql.query(
      "UPDATE slack_installation SET sealed = (SELECT sealed FROM slack_installation WHERE key = 'T:T0AAA') WHERE key = 'T:T222'",
    );
    const store = storeWith(KEY);
    await expect(store.fetchInstallation(inWorkspace('T222'))).rejects.toThrow(/T:T222: cannot be opened/);
    expect(() => new SealedBox('too-short')).toThrow(/32 bytes/);
  });

  it('gives the outbox each workspace its own client: a team naming none fails clearly, one not installed waits', async () => {
    const lines: string[] = [];
    const clients = new InstalledWorkspaces(
      storeWith(KEY),
      (token) => new webApi.WebClient(token),
      createLogger('warn', (line) => lines.push(line)),
    );
    await storeWith(KEY).storeInstallation(workspace('T0OWN', 'xoxb-own-client'));
    expect((await clients.for('T0OWN')).token).toBe('xoxb-own-client');
    await expect(clients.for('')).rejects.toThrow(/names no Slack workspace/);
    // Not a failed attempt: the message is put off until the workspace installs.
    const waiting = await clients.for('T0NOTYET').catch((error: unknown) => error);
    expect(waiting).toBeInstanceOf(DeliveryDeferred);
    expect((waiting as DeliveryDeferred).delayMs).toBe(NOT_INSTALLED_WAIT_MS);
    await clients.for('T0NOTYET').catch(() => undefined);
    expect(lines.filter((l) => l.includes('T0NOTYET'))).toHaveLength(1);
  });
});
