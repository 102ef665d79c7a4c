import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { type Leadpool, startLeadpool } from '../app.js';
import { ConfigError, parseEnv } from '../config/env.js';
import { ScaledClock } from '../domain/shared/clock.js';
import { createLogger, errorFields } from '../infra/logger.js';
import { demoStart, startDemoDay } from './demo-day.js';

/**
 * `npm run demo`: the playground with a team of seven, a stream of made-up leads and a clock that
 * runs a working day in about ten minutes (DEMO_SPEED times the wall clock, 60 unless set), on an
 * embedded database in memory: nothing is kept, and no database or messenger set in the
 * environment is touched.
 */
const TEAMS = join(import.meta.dirname, 'demo-teams.yaml');
const TEAM = { id: 'demo', timeZone: 'Asia/Shanghai', offsetHours: 8 };
const BOTS = ['slack-U0DEMO0002', 'slack-U0DEMO0003', 'slack-U0DEMO0004', 'slack-U0DEMO0005'];

const demoEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The app's own log; the demo's progress is said anyway. Warnings only unless set. */
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('warn'),
  DEMO_SPEED: z.coerce.number().min(1).max(600).default(60),
  /** When the demo day starts, in the team's zone (08:50 unless set): 16:50 shows the digest soon. */
  DEMO_START: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:50')
    .default('08:50'),
  PLAYGROUND_TOKEN: z.string().min(16).optional(),
});

async function main(): Promise<void> {
  const parsed = demoEnv.safeParse(process.env);
  if (!parsed.success) throw ConfigError.fromZod('Invalid environment for the demo:', parsed.error);
  const settings = parsed.data;
  const intakeKey = randomBytes(18).toString('base64url');
  const env = parseEnv({
    PORT: String(settings.PORT),
    LOG_LEVEL: settings.LOG_LEVEL,
    TEAMS_CONFIG: TEAMS,
    INTAKE_API_KEY: intakeKey,
    PLAYGROUND: 'on',
    PLAYGROUND_TOKEN: settings.PLAYGROUND_TOKEN,
    // Every wall second, a minute of demo time at 60×: reminders and digests come on time.
    SLA_SWEEP_SCHEDULE: '* * * * * *',
    OUTBOX_POLL_MS: '500',
  });
  const log = createLogger(env.LOG_LEVEL);
  const say = createLogger('info');
  const start = demoStart(new Date(), settings.DEMO_START, TEAM.offsetHours);
  // Held while the database is made: the first digest run must not find today's digest long past.
  const clock = new ScaledClock(start, settings.DEMO_SPEED, Date.now, { held: true });
  const app: Leadpool = await startLeadpool({
    env,
    log,
    clock,
    dataDir: 'memory://',
    digestSchedule: '* * * * * *',
    secrets: {},
  });
  clock.run();
  const [hours = 8, minutes = 50] = settings.DEMO_START.split(':').map(Number);
  const wallMinutes = Math.max(1, Math.round((18.5 * 60 - hours * 60 - minutes) / settings.DEMO_SPEED));
  say.info(
    `demo day: open ${app.url.replace('127.0.0.1', 'localhost')}/ to watch Demo Sales work a day (to 18:30) in about ${wallMinutes} minutes; you are Ana Lima, the others act by themselves`,
  );
  const day = startDemoDay({
    url: app.url,
    intakeKey,
    playgroundToken: settings.PLAYGROUND_TOKEN,
    clock,
    speed: settings.DEMO_SPEED,
    team: TEAM.id,
    timeZone: TEAM.timeZone,
    bots: BOTS,
    log,
  });
  const progress = setInterval(() => say.info('demo day', { clock: clock.now().toISOString(), ...day.stats }), 30_000);
  const stop = (signal: string) => {
    say.info('demo stopping', { signal });
    clearInterval(progress);
    day.stop();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('demo stop failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : `The demo failed to start: ${String(error)}`);
  process.exit(1);
});
