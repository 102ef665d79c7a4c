import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { convertLead } from '../../src/domain/conversions/convert-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type ExportQuery, exportConversions } from '../../src/exporter/export-conversions.js';
import { PrismaConversionReader } from '../../src/infra/db/conversion.repository.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestLead } from '../support/fixtures.js';

const TEAMS = `teams:
  - id: alpha
    name: Alpha
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 2h }
    intake: { defaultRegion: CN, currency: CNY }
    members:
      - { name: Ana, slack: UANA }
`;
const config = parseTeamsConfig(TEAMS, 'export');
const teams = teamDirectory(config.teams);
const clock = new ManualClock('2026-11-10T02:00:00Z');
let testDb: TestDatabase;
let db: Database;
const converted: number[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = await openDatabase({ url: testDb.url, dataDir: '', poolSize: 4 });
  await syncTeams(db.prisma, config, clock.now());
  const deps = { store: new PrismaLeadStore(db.prisma), teams, clock };
  const people = [
    { name: 'Li, "the buyer"', company: 'Globex, Ltd.', phone: '+86 138 0013 8000', email: 'li@globex.example' },
    { name: '=HYPERLINK("http://evil.example")', company: '@SUM(1)', email: 'x@evil.example' },
    { name: '王芳', company: '深圳市瑞丰科技有限公司', phone: '+86 139 0000 0001' },
  ];
  for (const person of people) {
    const id = await createTestLead(deps, { team: 'alpha', ...person });
    await claimLead(deps, { leadId: id, actor: slack('UANA') });
    clock.advance(3_600_000);
    await convertLead(deps, { leadId: id, actor: slack('UANA') }, '1,200.50 CNY');
    converted.push(id);
  }
  // A lead that is only claimed is not exported.
  await claimLead(deps, {
    leadId: await createTestLead(deps, { team: 'alpha', name: 'Not Yet' }),
    actor: slack('UANA'),
  });
});

afterAll(async () => {
  await db?.close();
  await testDb?.drop();
});

async function run(
  format: 'csv' | 'json',
  query: ExportQuery = { teamId: 'alpha', from: null, to: null },
  pageSize = 2,
) {
  let out = '';
  const pages: number[] = [];
  const count = await exportConversions(
    new PrismaConversionReader(db.prisma),
    query,
    format,
    async (chunk) => {
      out += chunk;
    },
    (n) => pages.push(n),
    pageSize,
  );
  return { out, count, pages };
}

describe('leads export', () => {
  it('writes converted leads as CSV, page by page, quoting commas and quotes and defusing formulas', async () => {
    const { out, count, pages } = await run('csv');
    expect(count).toBe(3);
    expect(pages).toEqual([2, 3]);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'ref,teamId,name,title,company,email,phone,source,subSource,campaign,externalId,score,grade,owner,createdAt,contactedAt,qualifiedAt,convertedAt,dealValue,dealCurrency,expectedClose,customerId,customerName',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(
      `L-${converted[0]},alpha,"Li, ""the buyer""",,"Globex, Ltd.",li@globex.example,+8613800138000`,
    );
    expect(lines[1]).toContain(',1200.5,CNY,');
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil.example"")",,'@SUM(1)`);
    expect(out).not.toContain('Not Yet');
  });

  it('writes the same records as one JSON array, and filters by the day they were won', async () => {
    const { out } = await run('json');
    const records = JSON.parse(out) as { ref: string; dealValue: number; customerName: string; convertedAt: string }[];
    expect(records.map((r) => r.ref)).toEqual(converted.map((id) => `L-${id}`));
    expect(records[2]).toMatchObject({ customerName: '深圳市瑞丰科技有限公司', dealValue: 1200.5 });
    const from = new Date(records[1]?.convertedAt ?? '');
    const later = JSON.parse((await run('json', { teamId: 'alpha', from, to: null })).out) as unknown[];
    expect(later).toHaveLength(2);
    expect(JSON.parse((await run('json', { teamId: 'beta', from: null, to: null })).out)).toEqual([]);
  });

  it('runs as `npm run leads -- export`, writing the file and saying how many', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadpool-export-'));
    const teamsPath = join(dir, 'teams.yaml');
    writeFileSync(teamsPath, TEAMS);
    const out = join(dir, 'converted.csv');
    const { stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/leads.ts', 'export', '--team', 'alpha', '--out', out],
      { env: { PATH: process.env.PATH, DATABASE_URL: testDb.url, TEAMS_CONFIG: teamsPath } },
    );
    expect(stderr).toContain(`Exported 3 converted leads to ${out}.`);
    expect(readFileSync(out, 'utf8').trimEnd().split('\n')).toHaveLength(4);
    const refused = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/cli/leads.ts', 'export', '--format', 'xml'],
      { env: { PATH: process.env.PATH, DATABASE_URL: testDb.url, TEAMS_CONFIG: teamsPath } },
    ).catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2 });
    expect((refused as { stderr: string }).stderr).toContain('--format must be csv or json');
  });
});
