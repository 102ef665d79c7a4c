import { type IntakeDeps, intakeLeads } from '../../src/domain/intake/intake-leads.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import type { Lead, TeamPolicy } from '../../src/domain/leads/lead.js';
import { DEFAULT_SCORING } from '../../src/domain/scoring/score-rules.js';

export function testTeam(overrides: Partial<TeamPolicy> = {}): TeamPolicy {
  return {
    id: 'alpha',
    name: 'Alpha',
    timeZone: 'Asia/Shanghai',
    locale: 'en',
    dailyClaimQuota: 5,
    holdingCap: 30,
    cooldownMs: 3_600_000,
    followUpMs: 600_000,
    remindBeforeMs: 120_000,
    destinations: { slack: 'C1' },
    intake: {
      required: [['name']],
      defaultRegion: 'CN',
      alsoRegions: [],
      foldEmailAliases: false,
      currency: 'CNY',
      duplicateAnswerMs: 3_600_000,
    },
    scoring: DEFAULT_SCORING,
    ...overrides,
  };
}

export function testLead(overrides: Partial<Lead> = {}): Lead {
  return {
    id: 12,
    teamId: 'alpha',
    status: 'pooled',
    stage: 'new',
    type: 'marketing',
    name: 'Zhang Wei',
    company: 'Acme',
    title: null,
    email: 'wei@acme.example',
    phone: '+8613800138000',
    phoneExt: null,
    region: 'East',
    industry: null,
    companySize: null,
    need: null,
    budget: null,
    decisionRole: null,
    decisionMaker: null,
    decisionProcess: null,
    notes: null,
    source: 'website',
    subSource: null,
    campaign: null,
    channel: null,
    externalId: null,
    signals: {},
    attributes: {},
    companyKey: 'acme',
    grade: 'medium',
    score: 0,
    priority: 'low',
    scoreDetail: [],
    fieldWarnings: [],
    duplicateOfId: null,
    duplicateDueAt: null,
    matchOn: null,
    matchPossible: false,
    ownerId: null,
    ownedSince: null,
    firstOwnedAt: null,
    followUpDueAt: null,
    remindAt: null,
    reminderSentAt: null,
    contactedAt: null,
    qualifiedAt: null,
    convertedAt: null,
    closedAt: null,
    closeReason: null,
    createdAt: new Date('2026-03-02T00:00:00Z'),
    ...overrides,
  };
}

/** Validates and stores one lead as the API would; returns the outcome. */
export async function intakeOne(deps: IntakeDeps, raw: Record<string, unknown>) {
  const checked = validateLead(raw, deps.teams, sourceCatalog());
  if (!checked.ok) throw new Error(`invalid test lead: ${JSON.stringify(checked.problems)}`);
  const result = await intakeLeads(deps, [checked.lead], 'api');
  if (result.kind !== 'done') throw new Error(result.kind);
  const [outcome] = result.outcomes;
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

/** Stores a new pooled lead and returns its id. */
export async function createTestLead(deps: IntakeDeps, raw: Record<string, unknown>): Promise<number> {
  const outcome = await intakeOne(deps, raw);
  if (outcome.kind !== 'created') throw new Error(`expected a new lead, got ${outcome.kind}`);
  return outcome.leadId;
}

/** Fields that make a lead "good" under the default grade (8 of its 10 fields), for tests of what a grade does. */
export const GOOD_LEAD_FIELDS = {
  company: 'Acme',
  title: 'CTO',
  phone: '+49 151 98765432',
  email: 'cto@acme.example',
  region: 'EU',
  industry: 'Software',
  companySize: '51-200',
};
