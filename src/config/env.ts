import { z } from 'zod';
import { type FieldProblem, problemsFromZod } from '../domain/intake/field-problem.js';
import { isSealingKey } from '../infra/crypto/sealed-box.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = (schema: z.ZodString) => z.preprocess(blankToUndefined, schema.optional());

/** Every environment variable the app reads; .env.example mirrors this, group by group. */
export const envSchema = z.object({
  // Server
  PORT: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(65535).default(3000)),
  LOG_LEVEL: z.preprocess(blankToUndefined, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
  // Database: PostgreSQL when DATABASE_URL is set, else embedded PGlite under DATA_DIR
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')),
  DATABASE_POOL_SIZE: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(200).default(20)),
  DATA_DIR: z.preprocess(blankToUndefined, z.string().default('./data')),
  // Teams, members, quotas and SLAs
  TEAMS_CONFIG: optional(z.string()),
  // Intake API
  INTAKE_API_KEY: optional(z.string().min(16, 'must be at least 16 characters')),
  // Slack
  SLACK_BOT_TOKEN: optional(z.string().startsWith('xoxb-', 'must start with xoxb-')),
  SLACK_SIGNING_SECRET: optional(z.string().min(1)),
  SLACK_APP_TOKEN: optional(z.string().startsWith('xapp-', 'must start with xapp-')),
  SLACK_API_URL: optional(z.string().url().endsWith('/api/', 'must end with /api/')),
  // Slack, many workspaces: the install flow at /slack/install instead of SLACK_BOT_TOKEN
  SLACK_CLIENT_ID: optional(z.string().regex(/^\d+\.\d+$/, 'must be a Slack client id such as 1234567890.0987654321')),
  SLACK_CLIENT_SECRET: optional(z.string().min(1)),
  /** Signs the install flow's state (the check that the redirect belongs to the browser that started it). */
  SLACK_STATE_SECRET: optional(z.string().min(16, 'must be at least 16 characters')),
  /** Seals the workspaces' tokens in the database: 32 bytes, as 64 hex digits or base64. */
  SLACK_INSTALL_KEY: optional(
    z.string().refine(isSealingKey, 'must be 32 bytes: 64 hex digits, or base64 (openssl rand -base64 32)'),
  ),
  // Lark / Feishu
  LARK_APP_ID: optional(z.string().regex(/^cli_[0-9a-fA-F]{16}$/, 'must be an app id such as cli_a1b2c3d4e5f60718')),
  LARK_APP_SECRET: optional(z.string().min(1)),
  LARK_TRANSPORT: z.preprocess(blankToUndefined, z.enum(['long_connection', 'http']).default('long_connection')),
  LARK_VERIFICATION_TOKEN: optional(z.string().min(1)),
  LARK_ENCRYPT_KEY: optional(z.string().min(1)),
  LARK_DOMAIN: z.preprocess(
    blankToUndefined,
    z
      .string()
      .refine(
        (v) => v === 'feishu' || v === 'lark' || /^https?:\/\/[^/]+$/.test(v),
        'feishu, lark, or a base URL without a path',
      )
      .default('feishu'),
  ),
  /**
   * More Lark apps besides LARK_APP_ID, one per tenant (a self-built app belongs to one tenant):
   * a JSON list of { appId, appSecret, verificationToken?, encryptKey? }.
   */
  LARK_APPS: z.preprocess(blankToUndefined, z.string().transform(parseLarkApps).optional()),
  // The playground: a web page to act as anyone in the teams file (auto: on when no messenger is)
  PLAYGROUND: z.preprocess(blankToUndefined, z.enum(['auto', 'on', 'off']).default('auto')),
  /** Lets others than this machine open the playground, with ?token=… in its address. */
  PLAYGROUND_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  // Jobs
  SLA_SWEEP_SCHEDULE: z.preprocess(blankToUndefined, z.string().default('*/15 * * * * *')),
  OUTBOX_POLL_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(100).default(2000)),
  /** At SIGTERM, how long the deliveries in flight may take before their leases are given back. */
  SHUTDOWN_GRACE_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(120_000).default(10_000)),
  OUTBOX_LEASE_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1000).default(60_000)),
  OUTBOX_MAX_ATTEMPTS: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(50).default(8)),
  /** How often an instance looks for a newer policy version (changed in chat or by a reload elsewhere). */
  POLICY_REFRESH_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(200).max(600_000).default(5_000)),
  SLACK_TIMEOUT_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(500).max(120_000).default(10_000)),
  SLACK_POST_GAP_MS: z.preprocess(blankToUndefined, z.coerce.number().int().min(0).max(60_000).default(1000)),
});

const larkAppSchema = z.strictObject({
  appId: z.string().regex(/^cli_[0-9a-fA-F]{16}$/, 'must be an app id such as cli_a1b2c3d4e5f60718'),
  appSecret: z.string().min(1),
  verificationToken: z.string().min(1).optional(),
  encryptKey: z.string().min(1).optional(),
});
export type LarkAppSecrets = z.output<typeof larkAppSchema>;

function parseLarkApps(text: string, ctx: z.RefinementCtx): LarkAppSecrets[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a JSON list such as [{"appId":"cli_…","appSecret":"…"}]' });
    return z.NEVER;
  }
  const parsed = z.array(larkAppSchema).min(1).safeParse(json);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: `${issue.path.join('.') || '(list)'}: ${issue.message}` });
  return z.NEVER;
}

/** The install flow's variables: all of them or none, and not with a single workspace's bot token. */
const INSTALL_VARIABLES = [
  'SLACK_CLIENT_ID',
  'SLACK_CLIENT_SECRET',
  'SLACK_STATE_SECRET',
  'SLACK_INSTALL_KEY',
] as const;

function checkSlackInstalls(env: z.output<typeof envSchema>, ctx: z.RefinementCtx): void {
  const set = INSTALL_VARIABLES.filter((k) => env[k] !== undefined);
  if (set.length === 0) return;
  for (const k of INSTALL_VARIABLES.filter((v) => env[v] === undefined))
    ctx.addIssue({ code: 'custom', path: [k], message: `must be set too for the install flow (${set.join(', ')} is)` });
  if (env.SLACK_BOT_TOKEN !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['SLACK_BOT_TOKEN'],
      message: 'set either SLACK_BOT_TOKEN (one workspace) or the install flow (SLACK_CLIENT_ID…, many), not both',
    });
}

/** More Lark apps come after the first (LARK_APP_ID), each with its own id, and each with a token for HTTP callbacks. */
function checkLarkApps(env: z.output<typeof envSchema>, ctx: z.RefinementCtx): void {
  const more = env.LARK_APPS ?? [];
  if (more.length === 0) return;
  if (!env.LARK_APP_ID)
    ctx.addIssue({
      code: 'custom',
      path: ['LARK_APPS'],
      message: 'needs LARK_APP_ID too: these are the apps after it',
    });
  const ids = [env.LARK_APP_ID, ...more.map((a) => a.appId)].filter(Boolean);
  const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (repeated.length > 0)
    ctx.addIssue({ code: 'custom', path: ['LARK_APPS'], message: `names ${repeated.join(', ')} more than once` });
  if (env.LARK_TRANSPORT === 'http')
    for (const app of more.filter((a) => !a.verificationToken))
      ctx.addIssue({
        code: 'custom',
        path: ['LARK_APPS'],
        message: `${app.appId} needs its verificationToken for HTTP callbacks`,
      });
}

const checkedEnvSchema = envSchema.superRefine(checkSlackInstalls).superRefine(checkLarkApps);

export type Env = z.output<typeof envSchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
    /** The same problems with their codes where zod found them, for a reader in another language. */
    readonly fieldProblems: readonly FieldProblem[] = [],
  ) {
    super(`${message}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }

  /** One line per problem, each with the path of the value it is about. */
  static fromZod(message: string, error: z.ZodError): ConfigError {
    return new ConfigError(
      message,
      error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`),
      problemsFromZod(error),
    );
  }
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = checkedEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw ConfigError.fromZod('Invalid environment:', parsed.error);
  }
  return Object.freeze(parsed.data);
}

/** The API base the Lark SDK talks to: Feishu (China), Lark (international), or a URL (a local fake). */
export const LARK_DOMAINS = { feishu: 'https://open.feishu.cn', lark: 'https://open.larksuite.com' } as const;

export type LarkMode =
  | { kind: 'off'; missing: string[] }
  | {
      kind: 'long_connection' | 'http';
      appId: string;
      appSecret: string;
      domain: string;
      verificationToken?: string;
      encryptKey?: string;
    };

/** Which Lark transport the variables turn on, or which ones are missing. */
export function larkMode(env: Env): LarkMode {
  const needed = ['LARK_APP_ID', 'LARK_APP_SECRET'];
  if (env.LARK_TRANSPORT === 'http') needed.push('LARK_VERIFICATION_TOKEN');
  const missing = needed.filter((k) => !env[k as keyof Env]);
  if (missing.length > 0 || !env.LARK_APP_ID || !env.LARK_APP_SECRET) return { kind: 'off', missing };
  const domain =
    env.LARK_DOMAIN in LARK_DOMAINS ? LARK_DOMAINS[env.LARK_DOMAIN as keyof typeof LARK_DOMAINS] : env.LARK_DOMAIN;
  return {
    kind: env.LARK_TRANSPORT,
    appId: env.LARK_APP_ID,
    appSecret: env.LARK_APP_SECRET,
    domain,
    verificationToken: env.LARK_VERIFICATION_TOKEN,
    encryptKey: env.LARK_ENCRYPT_KEY,
  };
}

/** Every Lark app to serve: the first (LARK_APP_ID…), then LARK_APPS', on the same transport and domain. */
export function larkApps(env: Env): Exclude<LarkMode, { kind: 'off' }>[] {
  const first = larkMode(env);
  if (first.kind === 'off') return [];
  // Each app's own secrets only: one app's token never checks another's callbacks.
  const more = (env.LARK_APPS ?? []).map((app) => ({
    kind: first.kind,
    domain: first.domain,
    appId: app.appId,
    appSecret: app.appSecret,
    verificationToken: app.verificationToken,
    encryptKey: app.encryptKey,
  }));
  return [first, ...more];
}

/** The start-up line for Lark being off: which variables to set, for the transport chosen. */
export function larkOffMessage(missing: readonly string[], transport: Env['LARK_TRANSPORT']): string {
  const how =
    transport === 'http'
      ? 'HTTP callbacks at /lark/events'
      : 'long connection; for HTTP callbacks also set LARK_TRANSPORT=http and LARK_VERIFICATION_TOKEN';
  return `Lark is off: set ${missing.join(' and ')} to turn it on (${how})`;
}

/** How Leadpool is allowed into Slack: one workspace's bot token, or the install flow for many. */
export type SlackAuth =
  | { kind: 'token'; botToken: string }
  | { kind: 'installs'; clientId: string; clientSecret: string; stateSecret: string; installKey: string };

export type SlackMode =
  | { kind: 'off'; missing: string[] }
  | { kind: 'http'; auth: SlackAuth; signingSecret: string; apiUrl?: string; timeoutMs: number }
  | { kind: 'socket'; auth: SlackAuth; appToken: string; signingSecret?: string; apiUrl?: string; timeoutMs: number };

/** Which Slack mode the variables turn on, or which ones are missing. */
export function slackMode(env: Env): SlackMode {
  const auth = slackAuth(env);
  const common = { apiUrl: env.SLACK_API_URL, timeoutMs: env.SLACK_TIMEOUT_MS };
  if (auth && env.SLACK_APP_TOKEN)
    return { kind: 'socket', auth, appToken: env.SLACK_APP_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET, ...common };
  if (auth && env.SLACK_SIGNING_SECRET)
    return { kind: 'http', auth, signingSecret: env.SLACK_SIGNING_SECRET, ...common };
  const missing = [auth ? null : 'SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'].filter(
    (k): k is string => k !== null && !env[k as keyof Env],
  );
  return { kind: 'off', missing };
}

function slackAuth(env: Env): SlackAuth | null {
  const { SLACK_CLIENT_ID: clientId, SLACK_CLIENT_SECRET: clientSecret } = env;
  const { SLACK_STATE_SECRET: stateSecret, SLACK_INSTALL_KEY: installKey } = env;
  if (clientId && clientSecret && stateSecret && installKey)
    return { kind: 'installs', clientId, clientSecret, stateSecret, installKey };
  return env.SLACK_BOT_TOKEN ? { kind: 'token', botToken: env.SLACK_BOT_TOKEN } : null;
}

/** Whether the playground is served: asked for, or by default when no messenger is on. */
export function playgroundOn(env: Env): boolean {
  if (env.PLAYGROUND !== 'auto') return env.PLAYGROUND === 'on';
  return slackMode(env).kind === 'off' && larkMode(env).kind === 'off';
}
