import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_VERDICT, type LeadSource, type SourceCatalog, sourceCatalog } from '../domain/intake/sources.js';
import type { Locale, Role, TeamPolicy } from '../domain/leads/lead.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import { DEFAULT_SCORING, type ScoringConfig } from '../domain/scoring/score-rules.js';
import { ConfigError } from './env.js';
import {
  cardBurstOf,
  type larkChat,
  MESSENGERS,
  type MessengerName,
  memberLimitsOf,
  poolOf,
  type scoringRef,
  scoringSchema,
  type slackChannel,
  type teamSchema,
  teamsFileSchema,
} from './teams-schema.js';

export interface MemberConfig {
  teamId: string;
  displayName: string;
  /** The member's user id per messenger, as the file gives them (tenant-free). */
  ids: Partial<Record<MessengerName, string>>;
  /** The workspace (or app) those ids belong to, per messenger, where the team's file names one. */
  tenants: Partial<Record<MessengerName, string>>;
  role: Role;
  locale: Locale;
  /** The member's own zone, else the team's. */
  timeZone: string;
  active: boolean;
}

/**
 * The person behind a member, the same in every team they are in: their first messenger id as
 * the file gives it ("slack-U024BE7LH", else "lark-ou_…"). The playground (the `web` messenger)
 * knows people by it.
 */
export function personKeyOf(member: Pick<MemberConfig, 'ids'>): string {
  if (member.ids.slack) return `slack-${member.ids.slack}`;
  return `lark-${member.ids.lark ?? ''}`;
}

export interface TeamsConfig {
  teams: TeamPolicy[];
  members: MemberConfig[];
  sources: SourceCatalog;
}

/** Score rules from a YAML file (bare, or under a `scoring:` key), as `leads calibrate` writes them. */
export function loadScoringFile(path: string): ScoringConfig {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('Cannot read the scoring rules:', [`${path}: ${(error as Error).message}`]);
  }
  const parsed = scoringSchema.safeParse((raw as { scoring?: unknown } | null)?.scoring ?? raw);
  if (!parsed.success) {
    throw ConfigError.fromZod(`${path} has errors:`, parsed.error);
  }
  return parsed.data;
}

export function parseTeamsConfig(
  text: string,
  source: string,
  baseDir = '.',
  secrets: Readonly<Record<string, string | undefined>> = {},
): TeamsConfig {
  return teamsConfigFrom(parseTeamsDocument(text, source), source, baseDir, secrets);
}

/** The teams file as data (parsed YAML, not yet checked): what the database keeps, version by version. */
export type TeamsDocument = Record<string, unknown>;

export function parseTeamsDocument(text: string, source: string): TeamsDocument {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid YAML:`, [(error as Error).message]);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${source} has errors:`, ['(root): a mapping with "teams:"']);
  return raw as TeamsDocument;
}

/**
 * The document with every scoring file it names read in, so the version kept in the database
 * holds everything and reads the same on every instance.
 */
export function inlineScoringFiles(doc: TeamsDocument, baseDir: string): TeamsDocument {
  const read = (ref: unknown) => {
    if (typeof ref !== 'string') return ref;
    const path = resolve(baseDir, ref);
    try {
      const raw = parseYaml(readFileSync(path, 'utf8')) as { scoring?: unknown } | null;
      return raw?.scoring ?? raw;
    } catch (error) {
      throw new ConfigError('Cannot read the scoring rules:', [`${path}: ${(error as Error).message}`]);
    }
  };
  const teams = Array.isArray(doc.teams)
    ? doc.teams.map((t: unknown) =>
        t && typeof t === 'object' && 'scoring' in t ? { ...t, scoring: read((t as { scoring: unknown }).scoring) } : t,
      )
    : doc.teams;
  return { ...doc, ...('scoring' in doc ? { scoring: read(doc.scoring) } : {}), teams };
}

/** Checks a teams document and builds the policy from it; a problem names its path. */
export function teamsConfigFrom(
  raw: TeamsDocument,
  source: string,
  baseDir = '.',
  secrets: Readonly<Record<string, string | undefined>> = {},
): TeamsConfig {
  const parsed = teamsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw ConfigError.fromZod(`${source} has errors:`, parsed.error);
  }
  const resolveScoring = (ref: z.output<typeof scoringRef> | undefined): ScoringConfig | undefined =>
    typeof ref === 'string' ? loadScoringFile(resolve(baseDir, ref)) : ref;
  const fileScoring = resolveScoring(parsed.data.scoring) ?? DEFAULT_SCORING;
  const teams = parsed.data.teams.map(
    (t): TeamPolicy => ({
      id: t.id,
      name: t.name,
      timeZone: t.timezone,
      locale: t.locale,
      dailyClaimQuota: t.claim.dailyQuota,
      holdingCap: t.claim.holdingCap,
      cooldownMs: t.claim.cooldown,
      ...(t.claim.teamDaily ? { teamDailyLimit: t.claim.teamDaily } : {}),
      ...memberLimitsOf(t.members),
      ...(t.members.some((m) => m.senior) ? { seniors: t.members.filter((m) => m.senior).map((m) => m.name) } : {}),
      followUpMs: t.sla.followUp,
      ...(t.sla.byGrade ? { followUpByGrade: t.sla.byGrade } : {}),
      ...(t.sla.convertWithin ? { convertWithinMs: t.sla.convertWithin } : {}),
      ...(t.sla.graceAfterDue ? { graceAfterDueMs: t.sla.graceAfterDue } : {}),
      ...(t.sla.extension ? { extension: t.sla.extension } : {}),
      ...(t.sla.convertWarnBefore !== undefined ? { convertWarnBeforeMs: t.sla.convertWarnBefore } : {}),
      ...(t.sla.convertWarnAt !== undefined ? { convertWarnAtShare: t.sla.convertWarnAt } : {}),
      ...(t.sla.remindBefore !== undefined ? { remindBeforeMs: t.sla.remindBefore } : {}),
      ...(t.sla.remindAt !== undefined ? { remindAtShare: t.sla.remindAt } : {}),
      ...(t.workingHours ? { calendar: t.workingHours } : {}),
      ...cardBurstOf(t.cardBurst),
      ...(t.pools ? { pools: t.pools.map(poolOf) } : {}),
      destinations: destinationsOf(t),
      ...(t.slack?.workspace || t.lark?.app ? { tenants: tenantsOf(t) } : {}),
      intake: {
        required: t.intake.required,
        defaultRegion: t.intake.defaultRegion ?? null,
        alsoRegions: t.intake.alsoRegions,
        foldEmailAliases: t.intake.foldEmailAliases,
        currency: t.intake.currency,
        duplicateAnswerMs: t.intake.duplicateAnswerWithin,
      },
      scoring: resolveScoring(t.scoring) ?? fileScoring,
      ...(t.closeReasons ? { closeReasons: t.closeReasons } : {}),
      ...(t.digest ? { digest: digestOf(t.digest) } : {}),
      ...(t.webhook ? { webhook: webhookOf(t.id, t.webhook, secrets, source) } : {}),
    }),
  );
  const members = parsed.data.teams.flatMap((t) =>
    t.members.map(
      (m): MemberConfig => ({
        teamId: t.id,
        displayName: m.name,
        ids: Object.fromEntries(MESSENGERS.flatMap((k) => (m[k] ? [[k, m[k]]] : []))),
        tenants: tenantsOf(t),
        role: m.role,
        locale: m.locale ?? t.locale,
        timeZone: m.timezone ?? t.timezone,
        active: m.active,
      }),
    ),
  );
  const sources = sourceCatalog(
    parsed.data.sources.map(
      (s): LeadSource => ({ id: s.id, category: s.category, label: s.label ?? null, cost: s.cost ?? null }),
    ),
    parsed.data.channelVerdict ?? DEFAULT_VERDICT,
  );
  return { teams, members, sources };
}

/** The webhook's secret comes from the environment, never from the file: teams files get shared. */
function webhookOf(
  teamId: string,
  webhook: { url: string; secretEnv: string },
  secrets: Readonly<Record<string, string | undefined>>,
  source: string,
): { url: string; secret: string } {
  const secret = secrets[webhook.secretEnv];
  if (!secret || secret.length < 16) {
    throw new ConfigError(`${source} has errors:`, [
      `teams.${teamId}.webhook.secretEnv: set ${webhook.secretEnv} to a secret of at least 16 characters`,
    ]);
  }
  return { url: webhook.url, secret };
}

/** The workspace or app a team's file names, per messenger: its people's ids are that one's. */
function tenantsOf(t: { slack?: { workspace?: string }; lark?: { app?: string } }): Record<string, string> {
  return {
    ...(t.slack?.workspace ? { slack: t.slack.workspace } : {}),
    ...(t.lark?.app ? { lark: t.lark.app } : {}),
  };
}

function destinationsOf(at: {
  slack?: z.output<typeof slackChannel>;
  lark?: z.output<typeof larkChat>;
}): Record<string, string> {
  const destinations: Record<string, string> = {};
  if (at.slack) destinations.slack = at.slack.channel;
  if (at.lark) destinations.lark = at.lark.chat;
  return destinations;
}

function digestOf(digest: NonNullable<z.output<typeof teamSchema>['digest']>): NonNullable<TeamPolicy['digest']> {
  const { slack, lark, ...times } = digest;
  return { ...times, channels: destinationsOf({ ...(slack ? { slack } : {}), ...(lark ? { lark } : {}) }) };
}

export function loadTeamsConfig(path: string, secrets: Readonly<Record<string, string | undefined>> = {}): TeamsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('Cannot read the teams config:', [
      `${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  return parseTeamsConfig(text, path, dirname(path), secrets);
}

/**
 * The teams file as this instance has it: its document (scoring files read in), checked, and a
 * hash of that document, by which the database knows whether it was applied before.
 */
export function readTeamsFile(
  path: string,
  secrets: Readonly<Record<string, string | undefined>> = {},
): { doc: TeamsDocument; hash: string; config: TeamsConfig } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('Cannot read the teams config:', [
      `${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  const doc = inlineScoringFiles(parseTeamsDocument(text, path), dirname(path));
  const config = teamsConfigFrom(doc, path, dirname(path), secrets);
  return { doc, hash: createHash('sha256').update(JSON.stringify(doc)).digest('hex'), config };
}

export function teamDirectory(teams: readonly TeamPolicy[]): TeamDirectory {
  const byId = new Map(teams.map((t) => [t.id, t]));
  return { find: (id) => byId.get(id), all: () => teams };
}
