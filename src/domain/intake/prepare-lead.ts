import { createHash } from 'node:crypto';
import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { Budget, Lead, TeamPolicy } from '../leads/lead.js';
import { type Facts, type ScoreResult, scoreLead } from '../scoring/score-rules.js';
import { companyCore, companyKey } from './company-key.js';
import type { FieldProblem } from './field-problem.js';
import { COMPANY_SIZES, type LeadInput, readAmount } from './lead-input.js';
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

const SIZE_LIMITS = [10, 50, 200, 1000, 5000];
/** ISO 4217 codes as the runtime knows them ("YUA" is no currency). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const bandOf = (count: number) => {
  const i = SIZE_LIMITS.findIndex((limit) => count <= limit);
  return COMPANY_SIZES[i < 0 ? COMPANY_SIZES.length - 1 : i] ?? null;
};

/**
 * A company size as a band: a band as written, an employee count, or a count in words people
 * use ("约200人", "50-200 employees": the upper end; "1000+": more than that; "2k").
 */
function companySizeBand(value: number | string): string | null {
  if (typeof value === 'number') return bandOf(value);
  const band = foldText(value).replace(/\s+/g, '').replace(/[–~]/g, '-');
  if ((COMPANY_SIZES as readonly string[]).includes(band)) return band;
  const counts = [...band.toLowerCase().matchAll(/(\d+(?:[.,]\d{3})*)(k|千|万)?/gu)].map(
    (m) => readAmount(m[1] as string) * (m[2] === 'k' || m[2] === '千' ? 1e3 : m[2] === '万' ? 1e4 : 1),
  );
  const top = counts.length > 0 && counts.length <= 2 ? Math.max(...counts) : Number.NaN;
  if (!Number.isFinite(top) || top < 1) return null;
  return bandOf(/\+|以上|多/.test(band) ? top + 1 : top);
}

/** The budget; a minimum above the maximum is swapped and an unknown currency set aside, with a warning. */
function budgetOf(
  input: LeadInput['budget'],
  defaultCurrency: string,
  warnings: FieldProblem[],
  setAside: (problem: FieldProblem, key: string, typed: string) => void,
): Budget | null {
  if (input === undefined) return null;
  const spec = typeof input === 'number' ? { amount: input } : input;
  let min = spec.amount ?? spec.min ?? null;
  let max = spec.amount ?? spec.max ?? null;
  if (min === null && max === null) return null;
  if (min !== null && max !== null && min > max) {
    [min, max] = [max, min];
    warnings.push({ field: 'budget', code: 'budget_swapped' });
  }
  let currency = ('currency' in spec && spec.currency ? spec.currency : defaultCurrency).toUpperCase();
  if (!CURRENCIES.has(currency)) {
    setAside({ field: 'budget.currency', code: 'currency_invalid' }, 'budgetCurrency', currency);
    currency = defaultCurrency;
  }
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
  // Values that could not be read are left out of their fields and kept here, as attributes.
  const aside: Record<string, string> = {};
  const setAside = (problem: FieldProblem, key: string, typed: string) => {
    const free = !Object.hasOwn(input.attributes ?? {}, key);
    if (free) aside[key] = typed;
    warnings.push({ ...problem, aside: free ? key : null });
  };
  const { phone, phoneExt, phoneAlts } = phoneOf(input, team, warnings);
  const email = emailOf(input, team, warnings);
  let source: string | null = null;
  if (input.source) {
    const found = sources.find(input.source);
    if (found) source = found.id;
    else {
      const known = sources
        .all()
        .map((s) => s.id)
        .join(', ');
      setAside({ field: 'source', code: 'source_unknown', params: { known } }, 'source', input.source);
    }
  }
  let companySize: string | null = null;
  if (input.companySize !== undefined && String(input.companySize).trim() !== '') {
    companySize = companySizeBand(input.companySize);
    if (!companySize) {
      const problem: FieldProblem = {
        field: 'companySize',
        code: 'company_size_invalid',
        params: { bands: COMPANY_SIZES.join(', ') },
      };
      setAside(problem, 'companySize', String(input.companySize));
    }
  }
  const budget = budgetOf(input.budget, team.intake.currency, warnings, setAside);
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
    attributes: { ...input.attributes, ...aside },
    nameKey: nameKey(name),
    looseKey: looseNameKey(name),
    companyKey: company ? companyKey(company) : null,
    coreKey: company ? matchCore(companyKey(company)) : null,
  } satisfies Omit<PreparedLead, 'fingerprint' | 'scoring' | 'warnings'>;

  // Required fields are checked on what is stored: a phone kept as typed is a phone to call.
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
