import { existsSync } from 'node:fs';
import { type Leadpool, startLeadpool } from './app.js';
import { ConfigError, parseEnv } from './config/env.js';
import { installLastResortHandlers } from './infra/last-resort.js';
import { createLogger, errorFields, secretValuesOf } from './infra/logger.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  const log = createLogger(env.LOG_LEVEL, undefined, { secrets: secretValuesOf(process.env) });
  let leadpool: Leadpool | null = null;
  let stopping = false;
  const shutdown = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    // A stop that hangs (a request that never ends) must not keep a supervisor waiting for ever.
    setTimeout(() => {
      log.error('shutdown did not finish in time: exiting');
      process.exit(1);
    }, env.SHUTDOWN_GRACE_MS + 15_000).unref();
    (leadpool?.stop() ?? Promise.resolve()).then(
      () => process.exit(code),
      (error) => {
        log.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  installLastResortHandlers({
    log,
    fatal: (reason) => {
      log.error('too many unexpected errors: stopping so a supervisor can restart cleanly', { reason });
      shutdown('fatal', 1);
    },
  });
  leadpool = await startLeadpool({ env, log, secrets: process.env });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Leadpool failed to start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
