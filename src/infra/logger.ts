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
  return text.replace(EMAIL, '[email]').replace(PHONE, (run) => (isPhoneLike(run) ? '[phone]' : run));
}

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
): Logger {
  const destination = { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) };
  const base = pino(
    {
      level,
      base: undefined,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: SECRET_PATHS, censor: '[secret]' },
      hooks: { streamWrite: redact },
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
