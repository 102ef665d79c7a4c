import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { POOL_FIELDS, POOL_MODES, type Pool, type PoolField, type PoolMode } from '../domain/distribution/pools.js';
import { DEFAULT_VERDICT, SOURCE_CATEGORIES } from '../domain/intake/sources.js';
import { CLOSED_AS, type TeamPolicy } from '../domain/leads/lead.js';
import { parseDigestTime } from '../domain/reports/digest-schedule.js';
import { DEFAULT_SCORING } from '../domain/scoring/score-rules.js';
import { parseDuration } from '../domain/shared/duration.js';
import { isValidTimeZone } from '../domain/shared/time-zone.js';

// The teams file's schema: every field, its defaults and its cross-checks (pools, reach), as zod.
// Reading the file and turning it into the domain's team policies is teams-config.ts.

/** The messengers a teams file can name people and destinations on. */
export const MESSENGERS = ['slack', 'lark'] as const;
export type MessengerName = (typeof MESSENGERS)[number];

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

const LEAD_FIELDS = [
  'name',
  'company',
  'title',
  'email',
  'phone',
  'region',
  'industry',
  'companySize',
  'need',
  'budget',
  'decisionRole',
  'decisionMaker',
  'decisionProcess',
  'source',
  'subSource',
  'campaign',
];
const requirement = z
  .string()
  .transform((text) => text.split('|').map((f) => f.trim()))
  .refine((fields) => fields.every((f) => LEAD_FIELDS.includes(f)), {
    message: `fields are ${LEAD_FIELDS.join(', ')}; join alternatives with | as in "phone|email"`,
  });

const intakeSchema = z
  .object({
    required: z.array(requirement).default([['name']]),
    defaultRegion: z
      .string()
      .regex(/^[A-Z]{2}$/, 'a two-letter region code such as CN or US')
      .optional(),
    /** Other regions the team's leads come from: a phone not valid in defaultRegion is tried there. */
    alsoRegions: z
      .array(z.string().regex(/^[A-Z]{2}$/, 'a two-letter region code such as HK or US'))
      .max(10)
      .default([]),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'a currency code such as CNY or USD')
      .default('USD'),
    /** Gmail addresses kept without dots and `+tags`, so one mailbox's aliases match. */
    foldEmailAliases: z.boolean().default(false),
    duplicateAnswerWithin: duration.prefault('4h'),
  })
  .default({
    required: [['name']],
    alsoRegions: [],
    currency: 'USD',
    foldEmailAliases: false,
    duplicateAnswerWithin: 4 * 3_600_000,
  });

const conditionSchema = z.strictObject({
  field: z.string().min(1),
  present: z.boolean().optional(),
  in: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
  contains: z.array(z.string()).optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  minLength: z.number().int().optional(),
});

export const scoringSchema = z.strictObject({
  base: z.number().int().default(0),
  rules: z.array(
    z.strictObject({
      id: z.string().regex(/^[a-z0-9_]+$/, 'lower-case letters, digits and underscores'),
      label: z.string().max(60).optional(),
      group: z.enum(['fit', 'behaviour']).default('fit'),
      when: z.union([conditionSchema, z.array(conditionSchema).min(1)]).transform((w) => (Array.isArray(w) ? w : [w])),
      points: z.number().int(),
    }),
  ),
  priority: z.strictObject({ high: z.number(), medium: z.number() }).default(DEFAULT_SCORING.priority),
  grade: z
    .strictObject({
      fields: z.array(z.string()).default([...DEFAULT_SCORING.grade.fields]),
      good: z.number().min(0).max(1).default(DEFAULT_SCORING.grade.good),
      medium: z.number().min(0).max(1).default(DEFAULT_SCORING.grade.medium),
    })
    .default({ ...DEFAULT_SCORING.grade, fields: [...DEFAULT_SCORING.grade.fields] }),
});

/** Inline rules, or the path of a YAML file holding them (as `leads calibrate` writes), relative to this file. */
export const scoringRef = z.union([z.string().min(1), scoringSchema]);

const sourceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9_]{1,64}$/, 'lower-case letters, digits and underscores'),
  category: z.enum(SOURCE_CATEGORIES),
  label: z.string().min(1).max(60).optional(),
  cost: z
    .strictObject({
      amount: z.number().min(0),
      currency: z.string().regex(/^[A-Z]{3}$/, 'a currency code such as CNY or USD'),
      period: z.enum(['month', 'quarter', 'year', 'total']).default('month'),
    })
    .optional(),
});

const memberSchema = z
  .object({
    name: z.string().min(1),
    slack: z
      .string()
      .regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id such as U024BE7LH')
      .optional(),
    lark: z
      .string()
      .regex(/^ou_[A-Za-z0-9_-]+$/, 'must be a Lark open_id such as ou_7d8a6e6df7621556ce0d21922b676706ccs')
      .optional(),
    role: z.enum(['rep', 'manager', 'admin']).default('rep'),
    locale: locale.optional(),
    /** Where this member works, when not in the team's zone: times shown to them use it. */
    timezone: z.string().refine(isValidTimeZone, 'not an IANA time zone such as Europe/Berlin').optional(),
    active: z.boolean().default(true),
    /** A senior rep: takes the top tier of a `score_tier` pool. */
    senior: z.boolean().default(false),
    /** This member's own limits, in place of the team's. */
    dailyQuota: z.number().int().min(0).optional(),
    holdingCap: z.number().int().min(0).optional(),
  })
  .refine((m) => m.slack || m.lark, { message: 'give the member a slack user id, a lark open_id, or both' });

/** A share: 0.05 or "5%". */
const share = z.union([
  z.number().min(0).max(1),
  z
    .string()
    .regex(/^\d+(?:\.\d+)?\s*%$/, 'a share such as 0.05 or "5%"')
    .transform((text) => Number.parseFloat(text) / 100)
    .pipe(z.number().max(1, 'at most 100%')),
]);

/** A point on the way to a deadline, as the share of the time gone: before the deadline itself. */
const shareOfTheWay = share.pipe(z.number().lt(1, 'below 100%: the deadline itself has steps of its own'));

const WEEKDAYS: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  周日: 0,
  周一: 1,
  周二: 2,
  周三: 3,
  周四: 4,
  周五: 5,
  周六: 6,
};
const weekday = z.string().transform((d, ctx) => {
  const day = WEEKDAYS[d.toLowerCase()];
  if (day !== undefined) return day;
  ctx.addIssue({ code: 'custom', message: `"${d}" is not a weekday such as mon or 周一` });
  return z.NEVER;
});
const clockTime = z
  .string()
  .regex(/^([01]?\d|2[0-3]):[0-5]\d$|^24:00$/, 'a local time such as "09:00"')
  .transform((text) => {
    const [h, m] = text.split(':').map(Number) as [number, number];
    return h * 60 + m;
  });
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as "2026-10-01"');
/** When the team works: deadlines count only this time. */
const workingHoursSchema = z
  .strictObject({
    days: z.array(weekday).min(1, 'at least one working day'),
    from: clockTime,
    to: clockTime,
    holidays: z.array(localDate).default([]),
    workdays: z.array(localDate).default([]),
  })
  .refine((w) => w.from < w.to, { message: '"from" must be before "to"', path: ['to'] })
  .transform((w) => ({
    days: [...new Set(w.days)],
    startMinute: w.from,
    endMinute: w.to,
    holidays: w.holidays,
    workdays: w.workdays,
  }));

export function memberLimitsOf(
  members: { name: string; dailyQuota?: number; holdingCap?: number }[],
): Pick<TeamPolicy, 'memberLimits'> {
  const limits: Record<string, { dailyQuota?: number; holdingCap?: number }> = {};
  for (const m of members)
    if (m.dailyQuota !== undefined || m.holdingCap !== undefined)
      limits[m.name] = {
        ...(m.dailyQuota !== undefined ? { dailyQuota: m.dailyQuota } : {}),
        ...(m.holdingCap !== undefined ? { holdingCap: m.holdingCap } : {}),
      };
  return Object.keys(limits).length > 0 ? { memberLimits: limits } : {};
}

export function poolOf(pool: {
  id: string;
  name?: string;
  match?: Partial<Record<PoolField, string[]>>;
  members?: string[];
  mode: PoolMode;
  weights?: Record<string, number>;
  firstTo?: { members: string[]; grades: string[]; for: number };
  dailyLimit?: number;
  reach?: { alert: string[]; list: string[]; listEvery?: number; notify?: string[] };
  topTier?: { priorities: string[] };
  ranking?: { window: number; shares: number[]; conversionWeight: number };
}): Pool {
  return {
    id: pool.id,
    name: pool.name ?? pool.id,
    match: pool.match ?? {},
    memberNames: pool.members ?? null,
    mode: pool.mode,
    weights: pool.weights ?? {},
    ...(pool.dailyLimit ? { dailyLimit: pool.dailyLimit } : {}),
    ...(pool.firstTo
      ? { firstTo: { memberNames: pool.firstTo.members, grades: pool.firstTo.grades, forMs: pool.firstTo.for } }
      : {}),
    ...(pool.topTier ? { topTier: pool.topTier } : {}),
    ...(pool.ranking
      ? {
          ranking: {
            windowMs: pool.ranking.window,
            shares: pool.ranking.shares,
            conversionWeight: pool.ranking.conversionWeight,
          },
        }
      : {}),
    ...(pool.reach
      ? {
          reach: {
            alert: pool.reach.alert,
            list: pool.reach.list,
            listEveryMs: pool.reach.listEvery ?? DEFAULT_LIST_EVERY_MS,
            notify: pool.reach.notify ?? null,
          },
        }
      : {}),
  };
}

/** A pool's list of lower-grade leads goes out hourly unless it says otherwise. */
export const DEFAULT_LIST_EVERY_MS = 3_600_000;

/** Unless a team says otherwise: five cards a half-minute, then a summary. */
export const DEFAULT_CARD_BURST = { after: 5, withinMs: 30_000 };

export function cardBurstOf(
  setting: false | 'off' | { after: number; within: number } | undefined,
): Pick<TeamPolicy, 'cardBurst'> {
  if (setting === false || setting === 'off') return {};
  return { cardBurst: setting ? { after: setting.after, withinMs: setting.within } : DEFAULT_CARD_BURST };
}

export const slackChannel = z.object({ channel: z.string().regex(/^[CG][A-Z0-9]+$/, 'must be a Slack channel id') });
/**
 * A team's channel, and the workspace it is in when one deployment serves several (an Enterprise
 * Grid organisation's workspaces): the team's people are then known only as that workspace's users.
 */
const slackTeamChannel = slackChannel.extend({
  workspace: z
    .string()
    .regex(/^T[A-Z0-9]+$/, 'must be a Slack workspace id such as T0A1B2C3D')
    .optional(),
});

export const larkChat = z.object({
  chat: z.string().regex(/^oc_[A-Za-z0-9_-]+$/, 'must be a Lark chat id such as oc_a0553eda9014c201e6969b478895c230'),
});
/**
 * A team's chat, and the Lark app it is in when one deployment serves several (LARK_APPS, one per
 * tenant): the team's people are then known only as that app's users (an open_id is per app).
 */
const larkTeamChat = larkChat.extend({
  app: z
    .string()
    .regex(/^cli_[0-9a-fA-F]{16}$/, 'must be a Lark app id such as cli_a1b2c3d4e5f60718')
    .optional(),
});

export const teamSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1),
  timezone: z.string().refine(isValidTimeZone, 'not an IANA time zone such as Asia/Shanghai'),
  locale: locale.default('en'),
  slack: slackTeamChannel.optional(),
  lark: larkTeamChat.optional(),
  claim: z.object({
    dailyQuota: z.number().int().min(1),
    holdingCap: z.number().int().min(1),
    cooldown: duration,
    /** Leads the whole team may take (claims and assignments) per local day. */
    teamDaily: z.number().int().min(1).optional(),
  }),
  sla: z
    .object({
      followUp: duration,
      /** The owner's reminder: this long before the deadline, or when this share of the time is gone ("75%"). */
      remindBefore: duration.optional(),
      remindAt: shareOfTheWay.optional(),
      /** A shorter (or longer) follow-up deadline for leads of a grade: good leads go cold fastest. */
      byGrade: z
        .strictObject({ good: duration.optional(), medium: duration.optional(), poor: duration.optional() })
        .optional(),
      /** An owner must convert within this long (working time with working hours), or the lead is reclaimed. */
      convertWithin: duration.optional(),
      convertWarnBefore: duration.optional(),
      convertWarnAt: shareOfTheWay.optional(),
      /** After a missed deadline, tell the owner and managers, and reclaim only after this long. */
      graceAfterDue: duration.optional(),
      /** A manager may approve a rep's request for more time: by this much each, this much in all per deadline. */
      extension: z.strictObject({ by: duration, max: duration }).optional(),
    })
    .refine((sla) => sla.remindBefore === undefined || sla.remindAt === undefined, {
      message: 'set remindBefore or remindAt, not both',
      path: ['remindAt'],
    })
    .refine((sla) => sla.convertWarnBefore === undefined || sla.convertWarnAt === undefined, {
      message: 'set convertWarnBefore or convertWarnAt, not both',
      path: ['convertWarnAt'],
    }),
  /**
   * Past `after` new-lead cards within `within`, the rest of that time's new leads come as one
   * summary card with a Claim button each; `off` gives every lead its own card.
   */
  cardBurst: z
    .union([
      z.literal(false),
      z.literal('off'),
      z.strictObject({
        after: z.number().int().min(0),
        // New leads wait for the summary up to this long: long enough to gather a burst, short enough to claim.
        within: duration.pipe(z.number().min(1_000, 'at least 1s').max(600_000, 'at most 10m')),
      }),
    ])
    .optional(),
  workingHours: workingHoursSchema.optional(),
  intake: intakeSchema,
  scoring: scoringRef.optional(),
  members: z.array(memberSchema).default([]),
  /** The team's pools, first match wins; a pool without `match` catches the rest. */
  pools: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, dashes and underscores'),
        name: z.string().min(1).max(60).optional(),
        match: z.partialRecord(z.enum(POOL_FIELDS), z.array(z.string().min(1).max(100)).min(1)).optional(),
        members: z.array(z.string().min(1)).min(1).optional(),
        mode: z.enum(POOL_MODES).default('claim'),
        weights: z.record(z.string(), z.number().positive().max(100)).optional(),
        /** Leads this pool may give out (claimed or assigned) per local day. */
        dailyLimit: z.number().int().min(1).optional(),
        /** Leads of these grades go to these members first, for this long. */
        firstTo: z
          .strictObject({
            members: z.array(z.string().min(1)).min(1),
            grades: z.array(z.enum(['good', 'medium', 'poor'])).min(1),
            for: duration.pipe(z.number().min(60_000, 'at least 1m').max(86_400_000, 'at most 1d')),
          })
          .optional(),
        /** `score_tier`: leads of these priorities go to the senior members (default: high). */
        topTier: z.strictObject({ priorities: z.array(z.enum(['high', 'medium', 'low'])).min(1) }).optional(),
        /** `ranking`: members ranked over `window` by conversions and follow-ups; the bands get `shares`. */
        ranking: z
          .strictObject({
            window: duration.pipe(
              z
                .number()
                .min(86_400_000, 'at least 1d')
                .max(366 * 86_400_000, 'at most 366d'),
            ),
            shares: z.array(z.number().positive().max(100)).min(1).max(10).default([3, 2, 1]),
            conversionWeight: z.number().min(0).max(1000).default(5),
          })
          .optional(),
        /** Grade decides reach: alert grades mention and DM the qualified reps, list grades wait for a periodic list. */
        reach: z
          .strictObject({
            alert: z.array(z.enum(['good', 'medium', 'poor'])).default([]),
            list: z.array(z.enum(['good', 'medium', 'poor'])).default([]),
            listEvery: duration.pipe(z.number().min(300_000, 'at least 5m').max(86_400_000, 'at most 1d')).optional(),
            notify: z.array(z.string().min(1)).min(1).max(50).optional(),
          })
          .optional(),
      }),
    )
    .min(1)
    .optional(),
  closeReasons: z
    .array(
      z.strictObject({
        key: z.string().regex(/^[a-z0-9_]{1,40}$/, 'lower-case letters, digits and underscores'),
        as: z.enum(CLOSED_AS),
        labels: z.array(z.string().min(1).max(40)).default([]),
      }),
    )
    .min(1)
    .optional(),
  digest: z
    .strictObject({
      daily: z
        .string()
        .transform((text, ctx) => {
          const time = parseDigestTime(text);
          if (!time || time.weekday !== undefined)
            ctx.addIssue({ code: 'custom', message: 'a local time such as "18:00"' });
          return time ? { hour: time.hour, minute: time.minute } : z.NEVER;
        })
        .optional(),
      weekly: z
        .string()
        .transform((text, ctx) => {
          const time = parseDigestTime(text);
          if (time?.weekday === undefined)
            ctx.addIssue({ code: 'custom', message: 'a weekday and time such as "mon 09:00"' });
          return time?.weekday === undefined
            ? z.NEVER
            : { weekday: time.weekday, hour: time.hour, minute: time.minute };
        })
        .optional(),
      // A managers' channel: the digest is posted there once instead of a DM to each manager.
      slack: slackChannel.optional(),
      lark: larkChat.optional(),
    })
    .optional(),
  webhook: z
    .strictObject({
      url: z.url({ protocol: /^https?$/ }),
      secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'the name of an environment variable holding the secret'),
    })
    .optional(),
});

export const teamsFileSchema = z
  .object({
    teams: z.array(teamSchema).min(1, 'at least one team'),
    sources: z.array(sourceSchema).default([]),
    /** When a channel's report says keep, watch or drop it: rates as fractions or percentages. */
    channelVerdict: z
      .strictObject({
        dropRate: share.optional(),
        watchRate: share.optional(),
        dropRoi: z.number().optional(),
        watchRoi: z.number().optional(),
        minLeads: z.number().int().min(0).optional(),
      })
      .transform((v) => ({ ...DEFAULT_VERDICT, ...v }))
      .refine((v) => v.dropRate <= v.watchRate, { message: 'dropRate must not be above watchRate' })
      .refine((v) => v.dropRoi <= v.watchRoi, { message: 'dropRoi must not be above watchRoi' })
      .optional(),
    scoring: scoringRef.optional(),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.teams.forEach((team, i) => {
      if (seen.has(team.id))
        ctx.addIssue({ code: 'custom', path: ['teams', i, 'id'], message: `duplicate team id "${team.id}"` });
      seen.add(team.id);
      const users = new Set<string>();
      team.members.forEach((m, j) => {
        for (const messenger of MESSENGERS) {
          const id = m[messenger];
          if (!id) continue;
          if (users.has(id))
            ctx.addIssue({
              code: 'custom',
              path: ['teams', i, 'members', j, messenger],
              message: `${id} listed twice`,
            });
          users.add(id);
        }
      });
      checkPools(team, i, ctx);
    });
  });

/** Pools name members and weights that exist, ids once each, and weights only where they count. */
function checkPools(
  team: {
    members: { name: string }[];
    pools?: {
      id: string;
      members?: string[];
      mode: string;
      weights?: Record<string, number>;
      firstTo?: { members: string[] };
      reach?: { alert: string[]; list: string[]; notify?: string[] };
      topTier?: unknown;
      ranking?: unknown;
    }[];
  },
  i: number,
  ctx: z.RefinementCtx,
): void {
  const names = new Set(team.members.map((m) => m.name));
  const ids = new Set<string>();
  team.pools?.forEach((pool, p) => {
    const at = (...path: (string | number)[]) => ['teams', i, 'pools', p, ...path];
    if (ids.has(pool.id)) ctx.addIssue({ code: 'custom', path: at('id'), message: `duplicate pool id "${pool.id}"` });
    ids.add(pool.id);
    pool.firstTo?.members.forEach((name, m) => {
      if (!names.has(name))
        ctx.addIssue({
          code: 'custom',
          path: at('firstTo', 'members', m),
          message: `"${name}" is not a member of the team`,
        });
    });
    checkReach(pool, names, at, ctx);
    pool.members?.forEach((name, m) => {
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', path: at('members', m), message: `"${name}" is not a member of the team` });
    });
    for (const name of Object.keys(pool.weights ?? {})) {
      if (!names.has(name))
        ctx.addIssue({ code: 'custom', path: at('weights', name), message: `"${name}" is not a member of the team` });
    }
    if (pool.weights && pool.mode !== 'weighted')
      ctx.addIssue({ code: 'custom', path: at('weights'), message: 'weights count only in mode "weighted"' });
    if (pool.topTier && pool.mode !== 'score_tier')
      ctx.addIssue({ code: 'custom', path: at('topTier'), message: 'topTier counts only in mode "score_tier"' });
    if (pool.ranking && pool.mode !== 'ranking')
      ctx.addIssue({ code: 'custom', path: at('ranking'), message: 'ranking counts only in mode "ranking"' });
  });
}

/** Reach is for claim pools (an assigning pool gives every lead to a rep), a grade in one list, and real names. */
function checkReach(
  pool: { mode: string; reach?: { alert: string[]; list: string[]; notify?: string[] } },
  names: ReadonlySet<string>,
  at: (...path: (string | number)[]) => (string | number)[],
  ctx: z.RefinementCtx,
): void {
  const reach = pool.reach;
  if (!reach) return;
  if (pool.mode !== 'claim')
    ctx.addIssue({ code: 'custom', path: at('reach'), message: 'reach counts only in mode "claim"' });
  for (const grade of reach.list)
    if (reach.alert.includes(grade))
      ctx.addIssue({ code: 'custom', path: at('reach', 'list'), message: `"${grade}" is already an alert grade` });
  reach.notify?.forEach((name, m) => {
    if (!names.has(name))
      ctx.addIssue({
        code: 'custom',
        path: at('reach', 'notify', m),
        message: `"${name}" is not a member of the team`,
      });
  });
}
