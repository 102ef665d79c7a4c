import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Locale, Role, TeamPolicy } from '../domain/leads/lead.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import { parseDuration } from '../domain/shared/duration.js';
import { isValidTimeZone } from '../domain/shared/time-zone.js';
import { ConfigError } from './env.js';

export const EXAMPLE_TEAMS_CONFIG = fileURLToPath(new URL('./teams.example.yaml', import.meta.url));

const duration = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration like 90s, 30m, 2h, 1d or 1h30m` });
    return z.NEVER;
  }
  return ms;
});

const locale = z.enum(['en', 'zh-CN']);

const memberSchema = z.object({
  name: z.string().min(1),
  slack: z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U024BE7LH'),
  role: z.enum(['rep', 'manager', 'admin']).default('rep'),
  locale: locale.optional(),
  active: z.boolean().default(true),
});

const teamSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  timezone: z.string().refine(isValidTimeZone, 'not an IANA time zone such as Asia/Shanghai'),
  locale: locale.default('en'),
  slack: z.object({ channel: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id') }).optional(),
  claim: z.object({
    dailyQuota: z.number().int().min(1),
    holdingCap: z.number().int().min(1),
    cooldown: duration,
  }),
  sla: z.object({ followUp: duration, remindBefore: duration }),
  members: z.array(memberSchema).default([]),
});

export const teamsFileSchema = z
  .object({ teams: z.array(teamSchema).min(1, 'at least one team') })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.teams.forEach((team, i) => {
      if (seen.has(team.id))
        ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: `duplicate team id "${team.id}"` });
      seen.add(team.id);
      const users = new Set<string>();
      team.members.forEach((m, j) => {
        if (users.has(m.slack)) {
          ctx.addIssue({
            code: 'custom',
            path: ['teams', i, 'members', j, 'slack'],
            message: `${m.slack} listed twice`,
          });
        }
        users.add(m.slack);
      });
    });
  });

export interface MemberConfig {
  teamId: string;
  displayName: string;
  slackUserId: string;
  role: Role;
  locale: Locale;
  active: boolean;
}

export interface TeamsConfig {
  teams: TeamPolicy[];
  members: MemberConfig[];
}

export function parseTeamsConfig(text: string, source: string): TeamsConfig {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${source} is not valid YAML:`, [(error as Error).message]);
  }
  const parsed = teamsFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      `${source} has errors:`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`),
    );
  }
  const teams = parsed.data.teams.map(
    (t): TeamPolicy => ({
      id: t.id,
      name: t.name,
      timeZone: t.timezone,
      locale: t.locale,
      dailyClaimQuota: t.claim.dailyQuota,
      holdingCap: t.claim.holdingCap,
      cooldownMs: t.claim.cooldown,
      followUpMs: t.sla.followUp,
      remindBeforeMs: t.sla.remindBefore,
      slackChannelId: t.slack?.channel ?? null,
    }),
  );
  const members = parsed.data.teams.flatMap((t) =>
    t.members.map(
      (m): MemberConfig => ({
        teamId: t.id,
        displayName: m.name,
        slackUserId: m.slack,
        role: m.role,
        locale: m.locale ?? t.locale,
        active: m.active,
      }),
    ),
  );
  return { teams, members };
}

export function loadTeamsConfig(path: string): TeamsConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('Cannot read the teams config:', [
      `${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    ]);
  }
  return parseTeamsConfig(text, path);
}

export function teamDirectory(teams: readonly TeamPolicy[]): TeamDirectory {
  const byId = new Map(teams.map((t) => [t.id, t]));
  return { find: (id) => byId.get(id), all: () => teams };
}
