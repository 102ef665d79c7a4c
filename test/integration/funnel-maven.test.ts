/**
 * The funnel's SQL against an independent count: the Maven CRM sample (8,800 opportunities, 35
 * agents, 6 managers, 3 offices) is loaded into the lead model, and every agent's, manager's and
 * office's leads, wins, losses, win rate and won value are checked against a plain computation over
 * the CSV rows. Without `../shared/data` a small generated sample of the same shape runs instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig } from '../../src/config/teams-config.js';
import type { FunnelCounts, ReportScope } from '../../src/domain/reports/funnel.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaReportReader } from '../../src/infra/db/report.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { loadMaven, type MavenData, type Opportunity } from '../support/maven-fixture.js';

const data: MavenData = loadMaven();
const FROM = new Date('2000-01-01T00:00:00Z');
const TO = new Date('2100-01-01T00:00:00Z');
const SLA_MS = 24 * 3_600_000;

const managers = [...new Set(data.teams.map((t) => t.manager))];
const teamOf = (manager: string) => `m${managers.indexOf(manager)}`;
const agentTeam = new Map(data.teams.map((t) => [t.agent, teamOf(t.manager)]));
const slackOf = (i: number) => `UA${String(i).padStart(4, '0')}`;

function teamsYaml(): string {
  return `teams:\n${managers
    .map(
      (manager, i) => `  - id: m${i}
    name: ${manager}
    timezone: UTC
    claim: { dailyQuota: 50, holdingCap: 5000, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 1h }
    members:
${data.teams
  .map((t, j) => (t.manager === manager ? `      - { name: ${t.agent}, slack: ${slackOf(j)} }\n` : ''))
  .join('')}      - { name: ${manager}, slack: UM${String(i).padStart(3, '0')}, role: manager }`,
    )
    .join('\n')}\n`;
}

/** The plain computation the SQL is checked against. */
function expected(rows: Opportunity[]) {
  const won = rows.filter((r) => r.stage === 'Won');
  const lost = rows.filter((r) => r.stage === 'Lost').length;
  return {
    leadsIn: rows.length,
    converted: won.length,
    lost,
    winRate: won.length + lost > 0 ? won.length / (won.length + lost) : null,
    value: won.reduce((sum, r) => sum + (r.closeValue ?? 0), 0),
  };
}

function actual(c: FunnelCounts) {
  return {
    leadsIn: c.leadsIn,
    converted: c.converted,
    lost: c.lost,
    winRate: c.converted + c.lost > 0 ? c.converted / (c.converted + c.lost) : null,
    value: c.dealValue,
  };
}

let testDb: TestDatabase;
let db: Database;
let reader: PrismaReportReader;
const memberOf = new Map<string, string>();

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 4 });
  await syncTeams(db.prisma, parseTeamsConfig(teamsYaml(), 'maven'), new ManualClock('2017-01-01T00:00:00Z').now());
  for (const m of await db.prisma.member.findMany()) memberOf.set(m.displayName, m.id);
  const rows = data.opportunities.map((o) => {
    const created = o.engageDate ?? '2017-01-02';
    const closed = o.stage === 'Won' || o.stage === 'Lost';
    return {
      team_id: agentTeam.get(o.agent),
      owner_id: memberOf.get(o.agent),
      name: `Opportunity ${o.id}`,
      company: o.account || null,
      status: closed ? 'closed' : 'owned',
      stage: { Won: 'converted', Lost: 'lost', Engaging: 'contacted', Prospecting: 'new' }[o.stage],
      created_at: `${created}T09:00:00Z`,
      contacted_at: o.engageDate ? `${o.engageDate}T12:00:00Z` : null,
      qualified_at: o.stage === 'Won' ? `${o.closeDate}T09:00:00Z` : null,
      converted_at: o.stage === 'Won' ? `${o.closeDate}T10:00:00Z` : null,
      closed_at: o.stage === 'Lost' ? `${o.closeDate}T10:00:00Z` : null,
      value: o.stage === 'Won' ? o.closeValue : null,
    };
  });
  await db.prisma.$executeRaw`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(team_id text, owner_id uuid, name text,
        company text, status text, stage text, created_at timestamptz, contacted_at timestamptz, qualified_at timestamptz,
        converted_at timestamptz, closed_at timestamptz, value numeric)
    ), leads AS (
      INSERT INTO lead (team_id, owner_id, name, company, company_key, status, stage, created_at, updated_at, owned_since,
                        contacted_at, qualified_at, converted_at, closed_at, close_reason, fingerprint)
      SELECT team_id, owner_id, name, company, lower(company), status, stage, created_at, created_at, created_at,
             contacted_at, qualified_at, converted_at, closed_at, CASE WHEN stage = 'lost' THEN 'other' END, md5(name)
        FROM x
      RETURNING id, team_id, owner_id, created_at, converted_at, name
    ), claims AS (
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, to_owner_id, reason, at)
      SELECT id, team_id, 'claimed', owner_id, 'member', owner_id, 'claim_pool', created_at FROM leads
    ), conversions AS (
      INSERT INTO lead_event (lead_id, team_id, action, actor_id, actor_kind, from_stage, to_stage, reason, at)
      SELECT id, team_id, 'converted', owner_id, 'member', 'qualified', 'converted', '', converted_at
        FROM leads WHERE converted_at IS NOT NULL
    ), customers AS (
      INSERT INTO customer (team_id, name, company_key, created_at)
      SELECT DISTINCT ON (l.team_id, coalesce(x.company, l.name)) l.team_id, coalesce(x.company, l.name), lower(coalesce(x.company, l.name)), now()
        FROM leads l JOIN x ON x.name = l.name WHERE x.value IS NOT NULL
      RETURNING id, team_id, company_key
    )
    INSERT INTO deal (lead_id, customer_id, member_id, value, currency, won_at)
    SELECT l.id, c.id, l.owner_id, x.value, 'USD', l.converted_at
      FROM leads l JOIN x ON x.name = l.name
      JOIN customers c ON c.team_id = l.team_id AND c.company_key = lower(coalesce(x.company, l.name))
     WHERE x.value IS NOT NULL`;
  reader = new PrismaReportReader(db.prisma);
  console.log(
    `funnel correctness: ${data.origin} data, ${data.opportunities.length} opportunities, ${data.teams.length} agents`,
  );
}, 120_000);

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

const scope = (teamIds: string[], ownerId: string | null = null): ReportScope => ({
  teamIds,
  ownerId,
  followUpMs: Object.fromEntries(teamIds.map((t) => [t, SLA_MS])),
});

describe(`the funnel against an independent count (${data.origin} data)`, () => {
  it('loaded every opportunity', async () => {
    expect(await db.prisma.lead.count()).toBe(data.opportunities.length);
    expect(data.opportunities.length).toBeGreaterThan(data.origin === 'maven-crm' ? 8000 : 50);
  });

  it('per agent: leads, wins, losses, win rate and won value', async () => {
    for (const { agent } of data.teams) {
      const rows = data.opportunities.filter((o) => o.agent === agent);
      const counts = await reader.funnel(scope([agentTeam.get(agent) as string], memberOf.get(agent)), FROM, TO);
      expect({ agent, ...actual(counts) }).toEqual({ agent, ...expected(rows) });
    }
  });

  it('per manager (a team) and per regional office (its teams together)', async () => {
    for (const manager of managers) {
      const rows = data.opportunities.filter((o) =>
        data.teams.some((t) => t.agent === o.agent && t.manager === manager),
      );
      expect({ manager, ...actual(await reader.funnel(scope([teamOf(manager)]), FROM, TO)) }).toEqual({
        manager,
        ...expected(rows),
      });
    }
    for (const office of new Set(data.teams.map((t) => t.office))) {
      const inOffice = data.teams.filter((t) => t.office === office);
      const teamIds = [...new Set(inOffice.map((t) => teamOf(t.manager)))];
      const rows = data.opportunities.filter((o) => inOffice.some((t) => t.agent === o.agent));
      expect({ office, ...actual(await reader.funnel(scope(teamIds), FROM, TO)) }).toEqual({
        office,
        ...expected(rows),
      });
    }
  });

  it('by rep: every claim and every win counted once, for the right agent', async () => {
    for (const manager of managers) {
      const reps = await reader.byRep(scope([teamOf(manager)]), FROM, TO);
      for (const rep of reps) {
        const rows = data.opportunities.filter((o) => o.agent === rep.name);
        expect({ name: rep.name, taken: rep.taken, converted: rep.converted }).toEqual({
          name: rep.name,
          taken: rows.length,
          converted: rows.filter((r) => r.stage === 'Won').length,
        });
      }
    }
  });

  it('a period counts only the leads that came in during it', async () => {
    const from = new Date('2017-03-01T00:00:00Z');
    const to = new Date('2017-04-01T00:00:00Z');
    const rows = data.opportunities.filter((o) => {
      const created = new Date(`${o.engageDate ?? '2017-01-02'}T09:00:00Z`);
      return created >= from && created < to;
    });
    const all = await reader.funnel(scope(managers.map(teamOf)), from, to);
    expect(actual(all)).toEqual(expected(rows));
  });
});
