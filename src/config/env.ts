import { z } from 'zod';
import { type FieldProblem, problemsFromZod } from '../domain/intake/field-problem.js';

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
  const parsed = envSchema.safeParse(source);
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

/** The start-up line for Lark being off: which variables to set, for the transport chosen. */
export function larkOffMessage(missing: readonly string[], transport: Env['LARK_TRANSPORT']): string {
  const how =
    transport === 'http'
      ? 'HTTP callbacks at /lark/events'
      : 'long connection; for HTTP callbacks also set LARK_TRANSPORT=http and LARK_VERIFICATION_TOKEN';
  return `Lark is off: set ${missing.join(' and ')} to turn it on (${how})`;
}

export type SlackMode =
  | { kind: 'off'; missing: string[] }
  | { kind: 'http'; botToken: string; signingSecret: string; apiUrl?: string; timeoutMs: number }
  | { kind: 'socket'; botToken: string; appToken: string; signingSecret?: string; apiUrl?: string; timeoutMs: number };

/** Which Slack mode the variables turn on, or which ones are missing. */
export function slackMode(env: Env): SlackMode {
  const apiUrl = env.SLACK_API_URL;
  if (env.SLACK_BOT_TOKEN && env.SLACK_APP_TOKEN) {
    return {
      kind: 'socket',
      botToken: env.SLACK_BOT_TOKEN,
      appToken: env.SLACK_APP_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      apiUrl,
      timeoutMs: env.SLACK_TIMEOUT_MS,
    };
  }
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) {
    return {
      kind: 'http',
      botToken: env.SLACK_BOT_TOKEN,
      signingSecret: env.SLACK_SIGNING_SECRET,
      apiUrl,
      timeoutMs: env.SLACK_TIMEOUT_MS,
    };
  }
  const missing = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'].filter((k) => !env[k as keyof Env]);
  return { kind: 'off', missing };
}

/** Whether the playground is served: asked for, or by default when no messenger is on. */
export function playgroundOn(env: Env): boolean {
  if (env.PLAYGROUND !== 'auto') return env.PLAYGROUND === 'on';
  return slackMode(env).kind === 'off' && larkMode(env).kind === 'off';
}
