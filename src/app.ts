import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ConfigError, type Env, larkApps, larkMode, larkOffMessage, playgroundOn, slackMode } from './config/env.js';
import { LivePolicy } from './config/live-policy.js';
import { TeamsPolicyEditor } from './config/policy-editor.js';
import type { MemberConfig } from './config/teams-config.js';
import { readTeamsFile, type TeamsConfig, type TeamsDocument, teamsConfigFrom } from './config/teams-config.js';
import { EXAMPLE_TEAMS_CONFIG, MESSENGERS, type MessengerName } from './config/teams-schema.js';
import { assignFromPools } from './domain/distribution/assign-from-pool.js';
import type { TeamPolicy } from './domain/leads/lead.js';
import type { NotificationSink } from './domain/notifications/notification-sink.js';
import { type DigestRunSummary, runDigests } from './domain/reports/digest.js';
import { type Clock, systemClock } from './domain/shared/clock.js';
import { runSlaSweep, type SlaSweepSummary } from './domain/sla/run-sla-sweep.js';
import { createHttpServer } from './http/server.js';
import { SealedBox } from './infra/crypto/sealed-box.js';
import { PrismaConversionReader } from './infra/db/conversion.repository.js';
import { type Database, openDatabase } from './infra/db/database.js';
import { PrismaLeadStore } from './infra/db/lead.repository.js';
import { PrismaLeadPostStore, PrismaLeadReadModel } from './infra/db/lead-read.repository.js';
import { OutboxRepository, PrismaDeadLetterBox } from './infra/db/outbox.repository.js';
import { PrismaPolicyStore } from './infra/db/policy.repository.js';
import { rekeyLeads } from './infra/db/rekey.js';
import { PrismaReplayLedger } from './infra/db/replay-ledger.repository.js';
import { foldReportRollups, RollupReportReader } from './infra/db/report-rollup.repository.js';
import { SqlPaceBook } from './infra/db/send-pace.repository.js';
import { PrismaInstallationRows } from './infra/db/slack-installation.repository.js';
import { isDatabaseUnavailable } from './infra/db/unavailable.js';
import { errorFields, type Logger } from './infra/logger.js';
import { Metrics } from './infra/metrics.js';
import { OutboxRelay } from './infra/outbox/outbox-relay.js';
import { ProcessClaimLatch } from './infra/process/claim-latch.js';
import { IntakeCoalescer } from './infra/process/intake-coalescer.js';
import { ConversionWebhook } from './infra/webhook/conversion-webhook.js';
import { digestJob } from './jobs/digest.job.js';
import { housekeepingJob } from './jobs/housekeeping.job.js';
import { reportFoldJob } from './jobs/report-fold.job.js';
import { type Scheduler, startScheduler, validateSchedule } from './jobs/scheduler.js';
import { slaSweepJob } from './jobs/sla-sweep.job.js';
import { createLarkApps, type LarkApps } from './messengers/lark/app.js';
import { type MemberDirectory, memberDirectory, personDirectory } from './messengers/shared/member-directory.js';
import { createSlackApp, type SlackApp } from './messengers/slack/app.js';
import { SlackInstallationStore } from './messengers/slack/installation-store.js';
import { SlackNotifier } from './messengers/slack/notifier.js';
import { WEB } from './messengers/web/identity.js';
import { PlaygroundInbox } from './messengers/web/inbox.js';
import { WebNotifier } from './messengers/web/notifier.js';
import { playgroundPeople } from './messengers/web/people.js';
import type { PlaygroundDeps } from './messengers/web/playground.js';
import { registerPlayground } from './messengers/web/routes.js';

export interface StartOptions {
  env: Env;
  log: Logger;
  clock?: Clock;
  /** Tests drive the SLA sweep by hand with a pinned clock. */
  scheduler?: boolean;
  /** Overrides env.DATA_DIR, e.g. "memory://" in tests. */
  dataDir?: string;
  /** Where secrets named in the teams file (webhook `secretEnv`) are looked up: the process environment. */
  secrets?: Readonly<Record<string, string | undefined>>;
  /** How often the digest job looks for digests due (every minute unless set; the demo's fast clock needs more often). */
  digestSchedule?: string;
}

export interface Leadpool {
  url: string;
  server: FastifyInstance;
  db: Database;
  relay: OutboxRelay;
  slack: SlackApp | null;
  lark: LarkApps | null;
  intakeApiKey: string;
  runSlaSweep(): Promise<SlaSweepSummary>;
  /** What the digest job does each minute, for tests that pin the clock. */
  runDigests(): Promise<DigestRunSummary>;
  /** Puts the newest policy version in force here now (it happens every POLICY_REFRESH_MS anyway). */
  refreshPolicy(): Promise<number>;
  stop(): Promise<void>;
}

/** The composition root: config → database → use cases → Slack, HTTP, relay and scheduler. */
export async function startLeadpool(options: StartOptions): Promise<Leadpool> {
  const { env, log } = options;
  const clock = options.clock ?? systemClock;
  if (!validateSchedule(env.SLA_SWEEP_SCHEDULE))
    throw new Error(`SLA_SWEEP_SCHEDULE "${env.SLA_SWEEP_SCHEDULE}" is not a cron expression`);

  const teamsPath = env.TEAMS_CONFIG ?? EXAMPLE_TEAMS_CONFIG;
  const secrets = options.secrets ?? {};
  // The file is checked before anything starts: a bad file stops here, with each problem's path.
  const file = readTeamsFile(teamsPath, secrets);
  if (!env.TEAMS_CONFIG) log.warn('TEAMS_CONFIG is not set: using the example teams file', { path: teamsPath });
  const build = (doc: TeamsDocument) => teamsConfigFrom(doc, 'the policy in force', dirname(teamsPath), secrets);

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: options.dataDir ?? `${env.DATA_DIR}/pglite`,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  log.info('database ready', { kind: db.kind, migrationsApplied: db.migration.applied.length });
  for (const name of db.migration.checksumWarnings)
    log.warn('applied migration was edited afterwards', { migration: name });
  const versions = new PrismaPolicyStore(db.prisma, { lark: env.LARK_APP_ID });
  const started = await versions.start(file, build, clock.now());
  log.info(started.applied ? 'teams file applied as a new policy version' : 'policy in force read from the database', {
    version: started.version,
  });
  const live = new LivePolicy(started.version, started.doc, started.config);
  const teams = live.teams;
  const policy = new TeamsPolicyEditor({
    live,
    versions,
    readFile: () => readTeamsFile(teamsPath, secrets),
    build,
    clock,
  });
  const refreshPolicy = policyRefresher(live, versions, build, log);
  const directoryOf = (messenger: MessengerName) =>
    liveMemberDirectory(live, (teams, members) => memberDirectory(messenger, teams, members));

  // Leads stored under older match keys are brought up to date in the background: start is not held up.
  let stopping = false;
  const rekeyed = rekeyLeads(db.prisma, log, () => stopping).then(
    (done) => done.leads > 0 && log.info('match keys brought up to date', { ...done }),
    (error: unknown) =>
      log.error('re-keying leads for matching failed; it runs again at the next start', errorFields(error)),
  );
  const leads = new PrismaLeadReadModel(db.prisma);
  const reports = new RollupReportReader(db.prisma);
  const sinks: NotificationSink[] = [];
  const outbox = new OutboxRepository(db.prisma, db.sql);
  const relay = new OutboxRelay(outbox, sinks, clock, log, {
    leaseMs: env.OUTBOX_LEASE_MS,
    maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
  });
  const deadLetters = new PrismaDeadLetterBox(db.prisma);
  const metrics = new Metrics(() => outbox.depth());
  // Every instance books its sends to Slack's and Lark's destinations here: together they keep one pace.
  const paceBook = new SqlPaceBook(db.prisma, db.sql);
  const relayNow = () => relay.kick();
  const mode = slackMode(env);
  // One per process, shared by both messengers: a burst of clicks on one lead stays cheap.
  const claims = new ProcessClaimLatch();
  // Notifications are written once per messenger that is on; with none on yet, once per messenger
  // there is, so nothing is lost before one is configured.
  const lark = larkMode(env);
  const messengersOn = [...(mode.kind === 'off' ? [] : ['slack']), ...(lark.kind === 'off' ? [] : ['lark'])];
  const playground = playgroundOn(env);
  const store = new PrismaLeadStore(db.prisma, {
    sql: db.sql,
    ...(db.transaction ? { transaction: db.transaction } : {}),
    afterEnqueue: () => relay.kick(),
    messengers: [...(messengersOn.length > 0 ? messengersOn : MESSENGERS), ...(playground ? [WEB] : [])],
  });

  // New leads of system-assigned pools get their owners right after intake, without holding up the
  // intake's answer (a batch of 500 is 500 picks); one this misses (a crash, an error) stays in its
  // pool, and the sweep gives it an owner on its next run.
  const assignNow = async (leadIds: readonly number[]) => {
    void assignFromPools({ store, teams, clock }, leadIds).catch((error: unknown) =>
      log.error('pool assignment failed; the sweep will try again', { leads: leadIds.length, ...errorFields(error) }),
    );
  };

  // What every messenger's handlers are given: the same use cases, with that messenger's directory.
  const messengerDeps = (directory: MemberDirectory) => ({
    store,
    teams,
    sources: live.sources,
    clock,
    directory,
    claims,
    leads,
    reports,
    deadLetters,
    relayNow,
    assignFromPools: assignNow,
    policy,
    posts: new PrismaLeadPostStore(db.prisma, db.sql),
    metrics: metrics.messengers,
    log,
  });

  let slack: SlackApp | null = null;
  if (mode.kind !== 'off') {
    const deps = messengerDeps(directoryOf('slack'));
    const posts = deps.posts;
    const installations =
      mode.auth.kind === 'installs'
        ? new SlackInstallationStore(new PrismaInstallationRows(db.prisma, new SealedBox(mode.auth.installKey)))
        : undefined;
    // The cards of a workspace that had not installed the app were put off: they go now.
    const onInstalled = () =>
      void outbox.wakeWaiting('slack', clock.now()).then(
        () => relay.kick(),
        (error: unknown) => log.warn('waiting Slack messages were not woken', errorFields(error)),
      );
    slack = createSlackApp(mode, deps, new PrismaReplayLedger(db.prisma), { installations, onInstalled });
    sinks.push(
      new SlackNotifier({
        clients: slack.clients,
        postGapMs: env.SLACK_POST_GAP_MS,
        paceBook,
        holdAfterTimeoutMs: 3 * slack.timeoutMs,
        deadLetters,
        teams,
        leads,
        posts,
        store,
        clock,
        sources: live.sources,
        reports,
        log,
      }),
    );
    await slack.start();
    log.info('Slack is on', { mode: mode.kind, workspaces: mode.auth.kind === 'installs' ? 'installed' : 'one' });
    if (mode.auth.kind === 'installs') warnOfTeamsWithoutWorkspace(teams.all(), log);
  } else {
    log.warn(
      `Slack is off: set ${mode.missing.join(' and ')} (HTTP mode), or SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode), to turn it on`,
    );
  }
  let larkApp: LarkApps | null = null;
  if (lark.kind !== 'off') {
    const modes = larkApps(env);
    larkApp = createLarkApps(modes, messengerDeps(directoryOf('lark')), paceBook);
    sinks.push(larkApp.notifier);
    await larkApp.start();
    log.info('Lark is on', { mode: lark.kind, domain: lark.domain, apps: modes.length });
    if (lark.kind === 'http' && modes.some((m) => !m.encryptKey))
      log.warn(
        'a Lark app has no encrypt key: its callbacks are checked by their token only, without signature or age',
        {
          apps: modes
            .filter((m) => !m.encryptKey)
            .map((m) => m.appId)
            .join(', '),
        },
      );
    warnOfTeamsInUnknownLarkApps(teams.all(), new Set(modes.map((m) => m.appId)), log);
  } else {
    log.warn(larkOffMessage(lark.missing, env.LARK_TRANSPORT));
  }
  if (messengersOn.length === 0)
    log.warn('no messenger is on: lead cards and DMs for Slack and Lark wait in the outbox until one is configured');
  const conversions = new PrismaConversionReader(db.prisma);
  if (teams.all().some((t) => t.webhook)) sinks.push(new ConversionWebhook({ conversions, teams, clock }));

  let intakeApiKey = env.INTAKE_API_KEY;
  if (!intakeApiKey) {
    intakeApiKey = randomBytes(18).toString('base64url');
    log.warn(`INTAKE_API_KEY is not set: this run accepts the temporary key ${intakeApiKey}`);
  }

  let webDeps: PlaygroundDeps | null = null;
  if (!playground) {
    // Written while the playground was on and never shown: nothing will deliver them now.
    const dropped = await outbox.dropUndelivered(WEB);
    if (dropped > 0) log.info('playground is off: its undelivered messages were dropped', { dropped });
  } else {
    const deps = messengerDeps(liveMemberDirectory(live, personDirectory));
    webDeps = {
      ...deps,
      channels: deps.posts,
      inbox: new PlaygroundInbox(),
      people: () => playgroundPeople(live.config.members, live.config.teams),
    };
    sinks.push(new WebNotifier(webDeps));
  }

  // A long connection that is down means this instance hears nothing from that messenger.
  const messengersUnready = () => [
    ...(slack && mode.kind === 'socket' && slack.connection() !== 'connected'
      ? [`slack: socket ${slack.connection()}`]
      : []),
    ...(larkApp && lark.kind === 'long_connection'
      ? larkApp.apps
          .filter((app) => app.connection() !== 'connected')
          .map(
            (app) => `lark: long connection ${app.connection()}${larkApp?.apps.length === 1 ? '' : ` (${app.appId})`}`,
          )
      : []),
  ];

  const receiver = slack?.httpReceiver;
  const server = createHttpServer({
    intake: {
      store,
      teams,
      sources: live.sources,
      clock,
      apiKey: intakeApiKey,
      assignFromPools: assignNow,
      coalescer: new IntakeCoalescer({ store, teams, clock, assignFromPools: assignNow }, 'api'),
      signals: { store, teams, sources: live.sources, clock },
      countIntake: (source, outcome) => metrics.intake.inc({ source, outcome }),
    },
    metrics,
    pingDatabase: () => db.ping(),
    isUnavailable: isDatabaseUnavailable,
    unready: async () => [...(stopping ? ['stopping'] : []), ...(await db.unready()), ...messengersUnready()],
    outboxHealth: () => outbox.health(),
    messengersHealth: () => {
      const delivery = relay.health();
      return {
        slack: slack
          ? { state: 'on', transport: mode.kind, connection: slack.connection(), ...delivery.slack }
          : { state: 'off' },
        lark: larkApp
          ? {
              state: 'on',
              transport: lark.kind,
              connection: larkApp.first.connection(),
              ...delivery.lark,
              api: larkApp.first.api.health(),
              ...(larkApp.apps.length > 1
                ? {
                    apps: larkApp.apps.map((app) => ({
                      appId: app.appId,
                      connection: app.connection(),
                      api: app.api.health(),
                    })),
                  }
                : {}),
            }
          : { state: 'off' },
      };
    },
    slackEvents: receiver ? (request) => receiver.handle(request) : null,
    slackInstall: slack?.installFlow ?? null,
    larkEvents: larkApp?.first.httpHandler ?? null,
    larkEventsOf: (appId) => larkApp?.apps.find((app) => app.appId === appId)?.httpHandler ?? null,
    playground: webDeps ? (app) => registerPlayground(app, webDeps, { token: env.PLAYGROUND_TOKEN }) : null,
    log,
  });
  // Anyone who opens the playground may act as anyone: without a token, only this machine may. A
  // messenger's callbacks must still reach the server, and then the playground's routes alone refuse others.
  const callbacks = mode.kind === 'http' || lark.kind === 'http' || slack?.installFlow != null;
  const loopbackOnly = playground && !env.PLAYGROUND_TOKEN && !callbacks;
  if (loopbackOnly) await server.listen({ port: env.PORT, host: '127.0.0.1' });
  // All interfaces, as node's own listen(port) does; IPv4 alone where the machine has no IPv6.
  else
    await server.listen({ port: env.PORT, host: '::' }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL') throw error;
      return server.listen({ port: env.PORT, host: '0.0.0.0' });
    });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://127.0.0.1:${port}`;
  log.info('listening', {
    url,
    intake: `${url}/api/leads`,
    health: `${url}/healthz`,
    slackEvents: slack?.httpReceiver ? `${url}/slack/events` : 'off',
    ...(slack?.installFlow ? { slackInstall: `${url}/slack/install` } : {}),
    larkEvents: larkApp?.first.httpHandler ? `${url}/lark/events` : 'off',
    ...((larkApp?.apps.length ?? 0) > 1 ? { larkAppEvents: `${url}/lark/events/<app id>` } : {}),
  });
  if (playground)
    log.info(
      env.PLAYGROUND_TOKEN
        ? `playground at http://<this host>:${port}/?token=<PLAYGROUND_TOKEN> (anyone with the token may act as anyone in the teams file)`
        : `playground at http://localhost:${port}/ (this machine only: set PLAYGROUND_TOKEN to open it to others, PLAYGROUND=off to turn it off)`,
    );

  // Relay only when something can deliver; otherwise messages keep until a messenger is configured.
  if (sinks.length > 0) {
    relay.start(env.OUTBOX_POLL_MS);
    relay.kick();
  }
  // Every instance follows the newest policy version within POLICY_REFRESH_MS.
  const policyTimer = setInterval(() => void refreshPolicy(), env.POLICY_REFRESH_MS);
  policyTimer.unref();
  const sweepDeps = { store, teams, clock };
  let scheduler: Scheduler | null = null;
  if (options.scheduler !== false)
    scheduler = startScheduler(
      [
        slaSweepJob(env.SLA_SWEEP_SCHEDULE, sweepDeps, log, metrics.recordSweep),
        digestJob(sweepDeps, log, options.digestSchedule, metrics.recordDigests),
        reportFoldJob(() => foldReportRollups(db.prisma), log),
        housekeepingJob(
          {
            purgeIdempotencyKeys: (before) => store.purgeIdempotencyKeys(before),
            purgeSentOutbox: (before) => outbox.purgeSent(before),
            purgeCardCounters: (before) => store.purgeCardCounters(before),
            purgeIdlePaces: () => paceBook.purgeIdle(),
            vacuum: () => db.vacuum(),
            clock,
          },
          log,
        ),
      ],
      log,
    );

  return {
    url,
    server,
    db,
    relay,
    slack,
    lark: larkApp,
    intakeApiKey,
    runSlaSweep: async () => metrics.recordSweep(await runSlaSweep(sweepDeps)),
    runDigests: async () => metrics.recordDigests(await runDigests(sweepDeps)),
    refreshPolicy,
    stop: async () => {
      // A request still open after the grace (a client that keeps its connection busy) is cut off:
      // a supervisor must not wait for ever, and an intake sender retries with its idempotency key.
      const closeHttp = async () => {
        const cutOff = setTimeout(() => {
          log.warn('connections still open at shutdown closed');
          server.server.closeAllConnections();
        }, env.SHUTDOWN_GRACE_MS);
        try {
          await server.close();
        } finally {
          clearTimeout(cutOff);
        }
      };
      stopping = true;
      clearInterval(policyTimer);
      // Nothing more is leased; the deliveries in flight finish within the grace, the rest are given back.
      const outboxDone = relay.stop(env.SHUTDOWN_GRACE_MS);
      // New connections are refused and requests in flight finished (Fastify closes idle keep-alive
      // connections, and answers 503 on busy ones); then the messengers' own work in flight.
      const phase = async (name: string, work: Promise<unknown>) => {
        await work;
        log.debug('shutdown step done', { step: name });
      };
      await Promise.all([phase('http', closeHttp()), phase('scheduler', scheduler?.stop() ?? Promise.resolve())]);
      await phase('slack', slack?.stop() ?? Promise.resolve());
      await phase('lark', larkApp?.stop() ?? Promise.resolve());
      const { released } = await outboxDone;
      await phase('rekey', rekeyed);
      await phase('database', db.close());
      log.info('stopped', { outboxGivenBack: released });
    },
  };
}

/**
 * Follows the newest policy version: a version this instance cannot use (a secret it lacks) is
 * logged once and the rules in force stay. Returns the version in force here.
 */
/** A team in a Lark app this deployment does not serve has nowhere for its cards to go. */
function warnOfTeamsInUnknownLarkApps(all: readonly TeamPolicy[], served: ReadonlySet<string>, log: Logger): void {
  const strays = all.filter((t) => t.tenants?.lark && !served.has(t.tenants.lark));
  if (strays.length > 0)
    log.warn('these teams name a Lark app that is not configured (LARK_APP_ID, LARK_APPS): their cards wait', {
      teams: strays.map((t) => `${t.id} (${t.tenants?.lark})`).join(', '),
    });
}

/** With the install flow a team's cards go to its own workspace: one that names none has nowhere to go. */
function warnOfTeamsWithoutWorkspace(all: readonly TeamPolicy[], log: Logger): void {
  const unnamed = all.filter((t) => t.destinations.slack && !t.tenants?.slack).map((t) => t.id);
  if (unnamed.length > 0)
    log.warn(
      'with the install flow each team with a Slack channel names its workspace (slack: { channel, workspace }): these do not, and their cards wait',
      {
        teams: unnamed.join(', '),
      },
    );
}

function policyRefresher(
  live: LivePolicy,
  versions: PrismaPolicyStore,
  build: (doc: TeamsDocument) => TeamsConfig,
  log: Logger,
): () => Promise<number> {
  let refused = 0;
  return async () => {
    try {
      if ((await versions.latestVersion()) <= live.version) return live.version;
      const latest = await versions.latest();
      if (!latest || latest.version <= live.version || latest.version === refused) return live.version;
      try {
        live.replace(latest.version, latest.doc, build(latest.doc));
        log.info('policy version in force', { version: latest.version });
      } catch (error) {
        refused = latest.version;
        log.error('policy version cannot be used here: the rules in force stay', {
          version: latest.version,
          problems: error instanceof ConfigError ? error.problems.slice(0, 5).join('; ') : undefined,
          ...(error instanceof ConfigError ? {} : errorFields(error)),
        });
      }
    } catch (error) {
      log.warn('could not read the policy version', errorFields(error));
    }
    return live.version;
  };
}

/** A member directory that follows the policy in force, rebuilt once per version. */
function liveMemberDirectory(
  live: LivePolicy,
  build: (teams: readonly TeamPolicy[], members: readonly MemberConfig[]) => MemberDirectory,
): MemberDirectory {
  let built = { version: -1, directory: null as MemberDirectory | null };
  const current = () => {
    if (built.version !== live.version)
      built = { version: live.version, directory: build(live.config.teams, live.config.members) };
    return built.directory as MemberDirectory;
  };
  return {
    localeOf: (userId) => current().localeOf(userId),
    timeZoneOf: (userId) => current().timeZoneOf(userId),
    teamOfDestination: (destination) => current().teamOfDestination(destination),
    teamsOf: (userId) => current().teamsOf(userId),
  };
}
