import { errorFields, type Logger } from './logger.js';

export interface LastResortOptions {
  log: Logger;
  /** Called once when the process can no longer be trusted: stop cleanly so a supervisor restarts it. */
  fatal(reason: string): void;
  /** More unexpected errors than this within `windowMs` means something is broken for good. */
  maxErrors?: number;
  windowMs?: number;
  now?: () => number;
}

/**
 * Process-wide handlers for errors nothing else caught. One bad request must not end the
 * process for everyone, so an error is logged and the process keeps serving; a burst of them
 * (a loop that keeps failing) is treated as fatal and ends the process cleanly instead.
 */
export function installLastResortHandlers(options: LastResortOptions): () => void {
  const { log } = options;
  const max = options.maxErrors ?? 20;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const recent: number[] = [];
  let gaveUp = false;
  const onError = (kind: string) => (error: unknown) => {
    const at = now();
    recent.push(at);
    while (recent.length > 0 && (recent[0] as number) < at - windowMs) recent.shift();
    log.error(`${kind}: logged, still serving`, errorFields(error));
    if (recent.length > max && !gaveUp) {
      gaveUp = true;
      options.fatal(`${recent.length} unexpected errors within ${windowMs / 1000} s`);
    }
  };
  const onException = onError('uncaught exception');
  const onRejection = onError('unhandled rejection');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
