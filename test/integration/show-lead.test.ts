import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { logFollowUp } from '../../src/domain/follow-ups/log-follow-up.js';
import { showLead } from '../../src/domain/leads/show-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { presentLeadDetail } from '../../src/messengers/shared/presenters/lead-detail.presenter.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestLead } from '../support/fixtures.js';
import { SHOW_TEAMS } from '../support/story-teams.js';

const config = SHOW_TEAMS;
const clock = new ManualClock('2026-12-02T06:20:00Z');
const teams = teamDirectory(config.teams);
let testDb: TestDatabase;
let db: Database;
let deps: { store: PrismaLeadStore; leads: PrismaLeadReadModel; teams: typeof teams; clock: ManualClock };
let pooled: number;
let owned: number;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 5 });
  await syncTeams(db.prisma, config, clock.now());
  deps = { store: new PrismaLeadStore(db.prisma), leads: new PrismaLeadReadModel(db.prisma), teams, clock };
  pooled = await createTestLead(deps, {
    team: 'sh',
    name: 'Pooled Wei',
    email: 'wei@acme.example',
    phone: '+86 139 1234 5678',
  });
  owned = await createTestLead(deps, {
    team: 'sh',
    name: 'Owned Li',
    email: 'li@globex.example',
    phone: '+86 138 8765 4321',
  });
  await claimLead(deps, { leadId: owned, actor: slack('UANA') });
  await logFollowUp(deps, {
    leadId: owned,
    actor: slack('UANA'),
    method: 'call',
    note: 'Asked for a quote',
    next: 'tomorrow 10am',
  });
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

describe('/lead show on PostgreSQL: the history it reads', () => {
  it('shows the facts, follow-ups with the next contact, and history, in the viewer language and team zone', async () => {
    const forOwner = presentLeadDetail(
      await showLead(deps, { leadId: owned, actor: slack('UANA') }),
      teams.find('sh') as never,
      'en',
      'Asia/Shanghai',
    );
    expect(forOwner).toContain(`L-${owned}`);
    expect(forOwner).toContain('li@globex.example');
    expect(forOwner).toContain('138 8765 4321');
    expect(forOwner).toMatch(/Follow-ups \(1\):\n• .*Ana, call: Asked for a quote \(next contact .*10:00/);
    expect(forOwner).toMatch(/History:\n• .* followed up by Ana\n• .* claimed by Ana\n• .* added/);
    const forTeammate = presentLeadDetail(
      await showLead(deps, { leadId: pooled, actor: slack('UBO') }),
      teams.find('sh') as never,
      'en',
      'Asia/Shanghai',
    );
    expect(forTeammate).not.toContain('wei@acme.example');
    expect(forTeammate).not.toContain('12345678');
    expect(forTeammate).toContain('No follow-ups yet.');
    const forManager = presentLeadDetail(
      await showLead(deps, { leadId: owned, actor: slack('UMEI') }),
      teams.find('sh') as never,
      'zh-CN',
      'Asia/Shanghai',
    );
    expect(forManager).toContain('跟进记录（1 条）');
    expect(forManager).toContain('被领取（Ana）');
  });
});
