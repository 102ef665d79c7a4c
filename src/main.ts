import { existsSync } from 'node:fs';
import { startLeadpool } from './app.js';
import { ConfigError, parseEnv } from './config/env.js';
import { createLogger, errorFields } from './infra/logger.js';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const env = parseEnv(process.env);
  const log = createLogger(env.LOG_LEVEL);
  const leadpool = await startLeadpool({ env, log });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    leadpool.stop().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
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
