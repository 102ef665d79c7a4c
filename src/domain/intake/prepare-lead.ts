import { createHash } from 'node:crypto';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { Budget, Lead, TeamPolicy } from '../leads/lead.js';
import { type Facts, type ScoreResult, scoreLead } from '../scoring/score-rules.js';
import { companyCore, companyKey } from './company-key.js';
import type { FieldProblem } from './field-problem.js';
import { COMPANY_SIZES, type LeadInput } from './lead-input.js';
import { looseNameKey, nameKey } from './name-key.js';
import { foldText, normalizeEmail, normalizePhone } from './normalize.js';
import type { SourceCatalog } from './sources.js';

/** The lead fields an intake fills in. */
type IntakeFields =
  | 'teamId'
  | 'type'
  | 'name'
  | 'company'
  | 'title'
  | 'email'
  | 'phone'
  | 'phoneExt'
  | 'region'
  | 'industry'
  | 'companySize'
  | 'need'
  | 'budget'
  | 'decisionRole'
  | 'decisionMaker'
  | 'decisionProcess'
  | 'notes'
  | 'source'
  | 'subSource'
  | 'campaign'
  | 'externalId'
  | 'signals'
  | 'attributes'
  | 'companyKey';

/** A cleaned, scored lead, ready to be matched against existing leads and stored. */
export interface PreparedLead extends Pick<Lead, IntakeFields> {
  nameKey: string;
  /** Other readings of the phone's digits (see `normalizePhone`): possible matches only. */
  phoneAlts: string[];
  /** The name folded looser, with `coreKey` for possible matches (see `looseNameKey`). */
  looseKey: string;
  /** The company's distinctive core (see `companyCore`), else its key: for possible matches. */
  coreKey: string | null;
  fingerprint: string;
  scoring: ScoreResult;
  /** What was taken but is worth a look (a phone read in another region, or kept as typed). */
  warnings: FieldProblem[];
}

export type PrepareResult = { ok: true; lead: PreparedLead } | { ok: false; problems: FieldProblem[] };

const folded = (v: string | undefined) => (v === undefined ? null : foldText(v) || null);

function companySizeBand(value: number | string): string | null {
  if (typeof value === 'number') {
    const limits = [10, 50, 200, 1000, 5000];
    const i = limits.findIndex((limit) => value <= limit);
    return COMPANY_SIZES[i < 0 ? COMPANY_SIZES.length - 1 : i] ?? null;
  }
  const band = foldText(value).replace(/\s+/g, '').replace(/[–~]/g, '-');
  return (COMPANY_SIZES as readonly string[]).includes(band) ? band : null;
}

function budgetOf(input: LeadInput['budget'], defaultCurrency: string, problems: FieldProblem[]): Budget | null {
  if (input === undefined) return null;
  const spec = typeof input === 'number' ? { amount: input } : input;
  const min = spec.amount ?? spec.min ?? null;
  const max = spec.amount ?? spec.max ?? null;
  if (min === null && max === null) return null;
  if (min !== null && max !== null && min > max) problems.push({ field: 'budget', code: 'budget_range' });
  const currency = ('currency' in spec && spec.currency ? spec.currency : defaultCurrency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) problems.push({ field: 'budget.currency', code: 'currency_invalid' });
  return { min, max, currency };
}

/** What score rules read: the lead's fields plus its source's category. */
export function leadFacts(lead: Pick<PreparedLead, 'source'>, sources: SourceCatalog): Facts {
  return { ...lead, sourceCategory: lead.source ? (sources.find(lead.source)?.category ?? null) : null };
}

function isFilled(lead: Record<string, unknown>, field: string): boolean {
  const v = lead[field];
  return v !== null && v !== undefined && v !== '';
}

function fingerprintOf(lead: Omit<PreparedLead, 'fingerprint' | 'scoring' | 'warnings'>): string {
  return createHash('sha256').update(JSON.stringify(lead)).digest('base64url').slice(0, 32);
}

/**
 * Cleans one lead for its team: folds text, normalizes phone (E.164) and e-mail, checks the source
 * against the catalog and the team's required fields, then grades and scores it. Every problem is
 * reported at once, each against its field.
 */
export function prepareLead(input: LeadInput, team: TeamPolicy, sources: SourceCatalog): PrepareResult {
  const problems: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  const { phone, phoneExt, phoneAlts } = phoneOf(input, team, warnings);
  const email = emailOf(input, team, warnings);
  let source: string | null = null;
  if (input.source) {
    const found = sources.find(input.source);
    if (found) source = found.id;
    else
      problems.push({
        field: 'source',
        code: 'source_unknown',
        params: {
          known: sources
            .all()
            .map((s) => s.id)
            .join(', '),
        },
      });
  }
  let companySize: string | null = null;
  if (input.companySize !== undefined && String(input.companySize).trim() !== '') {
    companySize = companySizeBand(input.companySize);
    if (!companySize)
      problems.push({
        field: 'companySize',
        code: 'company_size_invalid',
        params: { bands: COMPANY_SIZES.join(', ') },
      });
  }
  const budget = budgetOf(input.budget, team.intake.currency, problems);
  const name = foldText(input.name);
  const company = folded(input.company);
  const base = {
    teamId: team.id,
    type: input.type ?? 'marketing',
    name,
    company,
    title: folded(input.title),
    email,
    phone,
    phoneExt,
    phoneAlts,
    region: folded(input.region),
    industry: folded(input.industry),
    companySize,
    need: folded(input.need),
    budget,
    decisionRole: input.decisionRole ?? null,
    decisionMaker: folded(input.decisionMaker),
    decisionProcess: folded(input.decisionProcess),
    notes: input.notes?.trim() || null,
    source,
    subSource: folded(input.subSource),
    campaign: folded(input.campaign),
    externalId: input.externalId?.trim() || null,
    signals: input.signals ?? {},
    attributes: input.attributes ?? {},
    nameKey: nameKey(name),
    looseKey: looseNameKey(name),
    companyKey: company ? companyKey(company) : null,
    coreKey: company ? matchCore(companyKey(company)) : null,
  } satisfies Omit<PreparedLead, 'fingerprint' | 'scoring' | 'warnings'>;

  // Required fields are checked on the cleaned values: an invalid phone does not satisfy "phone".
  for (const alternatives of team.intake.required) {
    if (alternatives.some((f) => isFilled(base, f))) continue;
    if (problems.some((p) => alternatives.includes(p.field))) continue;
    const [first = '', ...rest] = alternatives;
    problems.push(
      rest.length === 0
        ? { field: first, code: 'required' }
        : { field: first, code: 'one_of_required', params: { fields: alternatives.join(', ') } },
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  const scoring = scoreLead(team.scoring, leadFacts(base, sources));
  return { ok: true, lead: { ...base, fingerprint: fingerprintOf(base), scoring, warnings } };
}

/** The company's core for possible matches: its distinctive core, else the whole key. */
export const matchCore = (key: string | null) => companyCore(key) ?? key;

/**
 * The phone as E.164 with its extension; or, when it cannot be read, as typed with a warning
 * saying why (the lead is kept: a person can still read what was typed).
 */
function phoneOf(input: LeadInput, team: TeamPolicy, warnings: FieldProblem[]) {
  const typedExt = input.phoneExt?.replace(/\D/g, '') || null;
  if (!input.phone) return { phone: null, phoneExt: typedExt, phoneAlts: [] };
  const result = normalizePhone(input.phone, team.intake.defaultRegion, team.intake.alsoRegions);
  if (result.ok === true) {
    if (result.region) warnings.push({ field: 'phone', code: 'phone_other_region', params: { region: result.region } });
    return { phone: result.e164, phoneExt: typedExt ?? result.ext ?? null, phoneAlts: result.alts ?? [] };
  }
  if (result.ok === 'ambiguous') {
    // Kept as typed, but each region's reading still finds the person, as a question.
    warnings.push({ field: 'phone', code: 'phone_ambiguous', params: { regions: result.regions.join(', ') } });
    return { phone: result.typed, phoneExt: typedExt ?? result.ext ?? null, phoneAlts: result.readings };
  }
  warnings.push({ ...phoneProblem(result.problem, input.phone, team.intake.defaultRegion), kept: true });
  return { phone: foldText(input.phone) || null, phoneExt: typedExt, phoneAlts: [] };
}

/** The e-mail address as intake stores it; or as typed with a warning when it is not one. */
function emailOf(input: LeadInput, team: TeamPolicy, warnings: FieldProblem[]): string | null {
  if (!input.email) return null;
  const email = normalizeEmail(input.email, team.intake.foldEmailAliases);
  if (email) return email;
  warnings.push({ field: 'email', code: 'email_invalid', kept: true });
  return foldText(input.email) || null;
}

/**
 * Why a phone could not be read, naming the region a number without a country code was read in (a
 * German team's 13800138000 is no German number) and that region's calling code.
 */
function phoneProblem(problem: string, typed: string, region: string | null): FieldProblem {
  if (problem !== 'phone.invalid') return { field: 'phone', code: 'phone_needs_country' };
  if (!region || typed.trim().startsWith('+')) return { field: 'phone', code: 'phone_invalid' };
  let code: string;
  try {
    code = getCountryCallingCode(region as CountryCode);
  } catch {
    return { field: 'phone', code: 'phone_invalid' };
  }
  return { field: 'phone', code: 'phone_invalid_in', params: { region, code } };
}
