export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const EMAIL = /[^\s@"'<>]+@[^\s@"'<>]+\.[A-Za-z]{2,}/g;
const PHONE = /\+?\d[\d ()-]{6,}\d/g;

/**
 * Masks e-mail addresses and phone-like digit runs. Personal data must never reach the logs, and
 * messages that wrap third-party errors may echo request bodies, so every line passes through this.
 */
export function redact(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, (run) => (run.replace(/\D/g, '').length >= 8 ? '[phone]' : run));
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Logger {
  const emit = (lvl: LogLevel, message: string, fields?: LogFields) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const safe: LogFields = {};
    for (const [k, v] of Object.entries(fields ?? {})) safe[k] = typeof v === 'string' ? redact(v) : v;
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: redact(message), ...safe }));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, errorName: error.name };
  return { error: String(error) };
}
