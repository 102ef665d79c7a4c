import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { listMyLeads } from '../../src/domain/leads/list-my-leads.js';
import { identity } from '../../src/domain/members/identity.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { DomainError } from '../../src/domain/shared/errors.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { readMigrations } from '../../src/infra/db/migrate.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createTestDatabase, migrateUpTo, type TestDatabase } from '../support/database.js';
import { createTestLead } from '../support/fixtures.js';

const file = (members: string) => `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    slack: { channel: C0SH }
    lark: { chat: oc_sh }
    claim: { dailyQuota: 1, holdingCap: 5, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
${members}`;

const slack = (id: string, workspace = 'T1') => identity('slack', workspace, id);
const lark = (id: string, app = 'cli_app') => identity('lark', app, id);
const clock = new ManualClock('2026-03-02T03:00:00Z');

describe('migration to member identities', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await testDb.drop();
  });

  it('carries every Slack user id over as an identity and keeps card references', async () => {
    const applyRest = await migrateUpTo(client, 'member_identities');
    await client.query(`INSERT INTO team (id, name, timezone, updated_at) VALUES ('sh', 'SH', 'UTC', now())`);
    await client.query(`INSERT INTO member (id, team_id, slack_user_id, display_name, role, locale, updated_at)
      VALUES ('00000000-0000-4000-8000-000000000001', 'sh', 'UOLD', 'Old', 'rep', 'en', now()),
             ('00000000-0000-4000-8000-000000000002', 'sh', NULL, 'Nobody', 'rep', 'en', now())`);
    await client.query(`INSERT INTO lead (team_id, name, updated_at) VALUES ('sh', 'L', now())`);
    await client.query(
      `INSERT INTO lead_post (lead_id, platform, channel_id, message_id) VALUES (1, 'slack', 'C1', '1.2')`,
    );

    const applied = await applyRest();
    expect(applied[0]).toMatch(/_member_identities$/);
    expect(applied).toEqual(
      readMigrations()
        .slice(-applied.length)
        .map((m) => m.name),
    );
    const identities = await client.query(
      'SELECT team_id, messenger, tenant, external_id, member_id::text FROM member_identity ORDER BY messenger',
    );
    expect(identities.rows).toEqual([
      {
        team_id: 'sh',
        messenger: 'slack',
        tenant: '',
        external_id: 'UOLD',
        member_id: '00000000-0000-4000-8000-000000000001',
      },
      // A later migration gives every member with a messenger id their playground identity.
      {
        team_id: 'sh',
        messenger: 'web',
        tenant: '',
        external_id: 'slack-UOLD',
        member_id: '00000000-0000-4000-8000-000000000001',
      },
    ]);
    const posts = await client.query('SELECT lead_id, messenger, channel_id, message_id FROM lead_post');
    expect(posts.rows).toEqual([{ lead_id: 1, messenger: 'slack', channel_id: 'C1', message_id: '1.2' }]);
  });
});

describe('members with identities on two messengers', () => {
  let testDb: TestDatabase;
  let db: Database;
  let store: PrismaLeadStore;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
    store = new PrismaLeadStore(db.prisma);
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });

  const memberRows = () =>
    db.prisma.member.findMany({ include: { identities: true }, orderBy: { displayName: 'asc' } });

  it('keeps one member when a Lark id is added to a Slack member, and never re-inserts a Lark-only one', async () => {
    const before = parseTeamsConfig(
      file('      - { name: Ana, slack: UANA }\n      - { name: Bo, lark: ou_bo }\n'),
      't',
    );
    await syncTeams(db.prisma, before, clock.now(), { lark: 'cli_app' });
    const [ana] = await memberRows();
    const after = parseTeamsConfig(
      file('      - { name: Ana, slack: UANA, lark: ou_ana }\n      - { name: Bo, lark: ou_bo }\n'),
      't',
    );
    for (let i = 0; i < 3; i++) await syncTeams(db.prisma, after, clock.now(), { lark: 'cli_app' });
    const rows = await memberRows();
    expect(rows.map((m) => m.displayName)).toEqual(['Ana', 'Bo']);
    expect(rows[0]?.id).toBe(ana?.id);
    expect(rows[0]?.identities.map((i) => `${i.messenger}/${i.tenant}/${i.externalId}`).sort()).toEqual([
      'lark/cli_app/ou_ana',
      'slack//UANA',
      'web//slack-UANA',
    ]);
    // The playground knows Bo, on Lark only, by his Lark id.
    expect(rows[1]?.identities.map((i) => `${i.messenger}/${i.externalId}`).sort()).toEqual([
      'lark/ou_bo',
      'web/lark-ou_bo',
    ]);
  });

  it('gives each person one playground identity, the same in every team they are in', async () => {
    const twoTeams = parseTeamsConfig(
      `${file('      - { name: Ana, slack: UANA, lark: ou_ana }\n')}  - id: bj
    name: Beijing
    timezone: Asia/Shanghai
    claim: { dailyQuota: 1, holdingCap: 5, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: Ana, slack: UANA }
      - { name: Yu, lark: ou_yu }
`,
      't',
    );
    await syncTeams(db.prisma, twoTeams, clock.now(), { lark: 'cli_app' });
    const web = (key: string) => identity('web', 'any-tenant', key);
    expect((await store.membershipsOf(web('slack-UANA'))).map((m) => m.teamId)).toEqual(['bj', 'sh']);
    expect((await store.membershipsOf(web('lark-ou_yu'))).map((m) => m.displayName)).toEqual(['Yu']);
    expect(await store.membershipsOf(web('slack-UNOBODY'))).toEqual([]);
  });

  it('gives one person one quota and one set of leads across both messengers', async () => {
    const config = parseTeamsConfig(file('      - { name: Ana, slack: UANA, lark: ou_ana }\n'), 't');
    const deps = { store, teams: teamDirectory(config.teams), clock };
    const [a, b] = [
      await createTestLead(deps, { team: 'sh', name: 'A' }),
      await createTestLead(deps, { team: 'sh', name: 'B' }),
    ];
    await claimLead(deps, { leadId: a, actor: slack('UANA') });
    const refused = await claimLead(deps, { leadId: b, actor: lark('ou_ana') }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('claim.daily_quota');
    const viaLark = await listMyLeads(store, lark('ou_ana'));
    expect(viaLark.map((l) => l.id)).toEqual([a]);
    expect((await listMyLeads(store, slack('UANA', 'T-other'))).map((l) => l.id)).toEqual([a]);
  });

  it('does not accept a Lark open_id issued to another app', async () => {
    const config = parseTeamsConfig(file('      - { name: Ana, slack: UANA, lark: ou_ana }\n'), 't');
    const deps = { store, teams: teamDirectory(config.teams), clock };
    const id = await createTestLead(deps, { team: 'sh', name: 'C' });
    const refused = await claimLead(deps, { leadId: id, actor: lark('ou_ana', 'cli_other') }).catch((e: unknown) => e);
    expect((refused as DomainError).code).toBe('member.not_in_team');
  });

  it('reports a member with no messenger id, and an id listed twice, as config errors', () => {
    expect(() => parseTeamsConfig(file('      - { name: Nobody }\n'), 't')).toThrow(
      /slack user id, a lark open_id, or both/,
    );
    expect(() =>
      parseTeamsConfig(file('      - { name: A, lark: ou_x }\n      - { name: B, lark: ou_x }\n'), 't'),
    ).toThrow(/ou_x listed twice/);
  });
});
