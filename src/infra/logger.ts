import { pino } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const EMAIL = /[^\s@"'<>\\]+@[^\s@"'<>\\]+\.[A-Za-z]{2,}/g;
const PHONE = /\+?\d[\d ()-]{6,}\d/g;

/**
 * Masks e-mail addresses and phone-like digit runs. Personal data must never reach the logs, and
 * messages that wrap third-party errors may echo request bodies, so every line passes through this.
 */
export function redact(text: string): string {
  return text
    .replace(SECRET_IN_TEXT, '$1[secret]')
    .replace(BEARER, '$1[secret]')
    .replace(SLACK_TOKEN, '[secret]')
    .replace(EMAIL, '[email]')
    .replace(PHONE, (run) => (isPhoneLike(run) ? '[phone]' : run));
}

/**
 * A secret inside a text that a library logged (a request body, a serialised error), written as
 * `"app_secret":"…"`, `app_secret=…` or JSON-escaped `\"app_secret\":\"…\"`.
 */
const SECRET_IN_TEXT =
  /((?<![A-Za-z0-9])(?:app_secret|client_secret|encrypt_key|app_access_token|tenant_access_token|user_access_token|access_token|refresh_token|password|secret|token)\\*"?\s*[:=]\s*\\*"?)[^"\\\s,&}]+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi;
const SLACK_TOKEN = /\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{8,}/g;

// A date ("2026-11-29", as in every line's own timestamp) has the shape of a phone number but is none.
const isPhoneLike = (run: string) => run.replace(/\D/g, '').length >= 8 && !/^\d{4}-\d{2}-\d{2}$/.test(run);

/** Secrets are dropped by field name before the line is written, whoever logs them. */
const SECRET_PATHS = ['token', 'apiKey', 'authorization', 'signingSecret', 'password', 'secret'];

/**
 * A pino logger behind the small interface the code uses. pino writes one JSON object per line;
 * the final text of every line, including fields and wrapped errors, passes through `redact`.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
  options: { secrets?: readonly string[] } = {},
): Logger {
  const maskSecrets = secretMask(options.secrets ?? []);
  const destination = { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  const base = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_PATHS, censor: '[secret]' },
      hooks: { streamWrite: (line) => redact(maskSecrets(line)) },
    },
    destination,
  );
  const emit = (lvl: LogLevel) => (message: string, fields?: LogFields) =>
    fields ? base[lvl](fields, message) : base[lvl](message);
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}

export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}

/** The configured secrets' own values are masked wherever they appear, whatever logged them. */
function secretMask(secrets: readonly string[]): (line: string) => string {
  const values = [...new Set(secrets.filter((v) => v.length >= 8))];
  if (values.length === 0) return (line) => line;
  return (line) =>
    values.reduce((text, value) => (text.includes(value) ? text.split(value).join('[secret]') : text), line);
}

/** The values of the environment's secret-bearing variables (keys, tokens, secrets, passwords). */
export function secretValuesOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => value && /SECRET|TOKEN|PASSWORD|_KEY$|API_KEY/.test(name))
    .map(([, value]) => value as string);
}
