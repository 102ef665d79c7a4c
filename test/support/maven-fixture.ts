import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One opportunity of the Maven CRM sample, or of the small generated stand-in. */
export interface Opportunity {
  id: string;
  agent: string;
  account: string;
  stage: 'Prospecting' | 'Engaging' | 'Won' | 'Lost';
  engageDate: string | null;
  closeDate: string | null;
  closeValue: number | null;
}

export interface SalesTeamRow {
  agent: string;
  manager: string;
  office: string;
}

export interface MavenData {
  /** "maven-crm" when the shared data folder was there, "generated" otherwise. */
  origin: 'maven-crm' | 'generated';
  opportunities: Opportunity[];
  teams: SalesTeamRow[];
}

// MAVEN_DIR lets the generated stand-in be tried with the shared data present.
const DIR = process.env.MAVEN_DIR ?? join(import.meta.dirname, '../../../shared/data/maven-crm');

function csvRows(path: string): string[][] {
  // The sample has no quoted fields (checked: no `"` in either file), so a plain split is exact.
  return readFileSync(path, 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => line.split(','));
}

/** The Maven CRM sample when `../shared/data` is present; a small generated one of the same shape when not. */
export function loadMaven(): MavenData {
  if (!existsSync(join(DIR, 'sales_pipeline.csv'))) return generated();
  const teams = csvRows(join(DIR, 'sales_teams.csv')).map(([agent = '', manager = '', office = '']) => ({
    agent,
    manager,
    office,
  }));
  const opportunities = csvRows(join(DIR, 'sales_pipeline.csv')).map(
    ([id = '', agent = '', , account = '', stage = '', engage = '', close = '', value = '']): Opportunity => ({
      id,
      agent,
      account,
      stage: stage as Opportunity['stage'],
      engageDate: engage || null,
      closeDate: close || null,
      closeValue: value === '' ? null : Number(value),
    }),
  );
  return { origin: 'maven-crm', opportunities, teams };
}

/** 4 agents under 2 managers in 2 offices, 60 opportunities with every stage, from a fixed recipe. */
function generated(): MavenData {
  const teams: SalesTeamRow[] = [
    { agent: 'Gen Agent A', manager: 'Gen Manager One', office: 'North' },
    { agent: 'Gen Agent B', manager: 'Gen Manager One', office: 'North' },
    { agent: 'Gen Agent C', manager: 'Gen Manager Two', office: 'South' },
    { agent: 'Gen Agent D', manager: 'Gen Manager Two', office: 'South' },
  ];
  const stages: Opportunity['stage'][] = ['Won', 'Lost', 'Won', 'Engaging', 'Prospecting', 'Won', 'Lost'];
  const opportunities = Array.from({ length: 60 }, (_, i): Opportunity => {
    const stage = stages[(i * 5) % stages.length] as Opportunity['stage'];
    const day = 1 + (i % 27);
    const closed = stage === 'Won' || stage === 'Lost';
    return {
      id: `GEN${i}`,
      agent: (teams[i % teams.length] as SalesTeamRow).agent,
      account: `Account ${i % 9}`,
      stage,
      engageDate: stage === 'Prospecting' ? null : `2017-0${1 + (i % 6)}-${String(day).padStart(2, '0')}`,
      closeDate: closed ? `2017-0${4 + (i % 5)}-${String(day).padStart(2, '0')}` : null,
      closeValue: stage === 'Won' ? 100 + i * 37 : closed ? 0 : null,
    };
  });
  return { origin: 'generated', opportunities, teams };
}
