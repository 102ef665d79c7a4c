import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../../infra/logger.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The Lark SDK's own logger, routed into ours. The SDK logs whole AxiosErrors, whose request config
 * carries the app secret and tenant token: an error is cut down to what helps (message, HTTP status,
 * Lark's code and msg, the path), and the line then passes our redaction like every other.
 */
export function larkSdkLogger(log: Logger): lark.Logger {
  const line =
    (level: Level) =>
    (...given: unknown[]) => {
      // The SDK passes its arguments on as one array: `logger.error([error])`.
      const parts = given.flat();
      const error = parts.find(isErrorLike);
      log[level]('Lark SDK', {
        detail: parts
          .filter((p) => p !== error)
          .map(describe)
          .join(' ')
          .slice(0, 500),
        ...(error ? errorSummary(error) : {}),
      });
    };
  return { error: line('error'), warn: line('warn'), info: line('debug'), debug: line('debug'), trace: line('debug') };
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  config?: { url?: unknown; method?: unknown };
  response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } };
}

function isErrorLike(value: unknown): value is ErrorLike {
  return value instanceof Error || (typeof value === 'object' && value !== null && 'isAxiosError' in value);
}

function errorSummary(error: ErrorLike): Record<string, string | number | undefined> {
  const url = typeof error.config?.url === 'string' ? error.config.url : undefined;
  const data = error.response?.data;
  return {
    error: String(error.message ?? 'error'),
    errorCode: typeof error.code === 'string' ? error.code : undefined,
    httpStatus: typeof error.response?.status === 'number' ? error.response.status : undefined,
    larkCode: typeof data?.code === 'number' ? data.code : undefined,
    larkMsg: typeof data?.msg === 'string' ? data.msg.slice(0, 200) : undefined,
    // The path alone: a query string may carry ids or tokens.
    path: url ? url.replace(/^[a-z]+:\/\/[^/]+/i, '').split('?')[0] : undefined,
  };
}

function describe(part: unknown): string {
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
