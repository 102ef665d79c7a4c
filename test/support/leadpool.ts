import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Leadpool, startLeadpool } from '../../src/app.js';
import { parseEnv } from '../../src/config/env.js';
import type { Clock } from '../../src/domain/shared/clock.js';
import { createLogger } from '../../src/infra/logger.js';
import { captureLogLine } from './captured-log.js';
import { SIGNING_SECRET } from './slack-requests.js';

export const INTAKE_KEY = 'test-intake-key-0123456789abcdef';

export interface TeamsYamlOptions {
  reps?: number;
  dailyQuota?: number;
  holdingCap?: number;
  cooldown?: string;
  followUp?: string;
  remindBefore?: string;
  /** Also a Lark chat (oc_alpha) and Lark ids for everyone (ou_rep0…, ou_mgr). */
  lark?: boolean;
  /** The team's pools, as YAML list items indented under `pools:`. */
  pools?: string;
  /**
   * The team's `cardBurst` setting, as YAML (`{ after: 5, within: 2s }`). Tests here run on the real
   * clock, where a window's count depends on timing: so a card per lead (`off`) unless a test asks.
   */
  cardBurst?: string;
}

export const repId = (i: number) => `U${String(i).padStart(4, '0')}`;
export const MANAGER = 'UMGR0001';
export const larkRepId = (i: number) => `ou_rep${i}`;
export const LARK_MANAGER = 'ou_mgr';
export const LARK_CHAT = 'oc_alpha';
export const LARK_APP = {
  id: 'cli_a1b2c3d4e5f60718',
  secret: 'lark-secret',
  token: 'lark-verification-token',
  key: 'lark-encrypt-key',
};

/** One team "alpha" posting to C0ALPHA, with `reps` reps U0000… and one manager. */
export function teamsYaml(o: TeamsYamlOptions = {}): string {
  const reps = Array.from(
    { length: o.reps ?? 3 },
    (_, i) => `      - { name: Rep ${i}, slack: ${repId(i)}${o.lark ? `, lark: ${larkRepId(i)}` : ''}, role: rep }`,
  );
  return `teams:
  - id: alpha
    name: Alpha Sales
    timezone: UTC
    locale: en
    slack: { channel: C0ALPHA }
${o.lark ? `    lark: { chat: ${LARK_CHAT} }\n` : ''}    claim: { dailyQuota: ${o.dailyQuota ?? 5}, holdingCap: ${o.holdingCap ?? 30}, cooldown: ${o.cooldown ?? '1h'} }
    sla: { followUp: ${o.followUp ?? '10m'}, remindBefore: ${o.remindBefore ?? '2m'} }
    cardBurst: ${o.cardBurst ?? 'off'}
    members:
${reps.join('\n')}
      - { name: Mia Manager, slack: ${MANAGER}${o.lark ? `, lark: ${LARK_MANAGER}` : ''}, role: manager, locale: zh-CN }
${o.pools ? `    pools:\n${o.pools}` : ''}`;
}

/**
 * A teams file of small teams, one per Slack channel (`id` and channel), one rep each (UREP<ID>),
 * card by card and with generous limits: for tests about delivery, not about claims.
 */
export function channelTeamsYaml(teams: readonly (readonly [id: string, channel: string])[]): string {
  const team = ([id, channel]: readonly [string, string]) => `  - id: ${id}
    name: Team ${id}
    timezone: UTC
    slack: { channel: ${channel} }
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    cardBurst: off
    members:
      - { name: Rep ${id}, slack: UREP${id.toUpperCase()} }`;
  return `teams:\n${teams.map(team).join('\n')}\n`;
}

export interface TestLeadpoolOptions {
  databaseUrl?: string;
  dataDir?: string;
  slackApiUrl?: string;
  clock?: Clock;
  teams?: string;
  poolSize?: number;
  logLines?: string[];
  /** Slack Socket Mode app-level token: Socket Mode instead of HTTP. */
  slackAppToken?: string;
  /** A fake Lark's base URL: Lark on, with HTTP callbacks (signed, encrypted) or the long connection. */
  lark?: { url: string; transport?: 'http' | 'long_connection'; moreApps?: readonly (typeof LARK_APP)[] };
  /** The least time between two posts to one Slack channel (0 in tests unless set). */
  slackPostGapMs?: number;
  /** Attempts before the outbox gives a message up. */
  outboxMaxAttempts?: number;
  /** Slack Web API timeout (ms). */
  slackTimeoutMs?: number;
  /** Secrets the teams file names (a webhook's `secretEnv`). */
  secrets?: Record<string, string>;
  /** Where to write the teams file (a test that edits it later, for a reload); a new folder unless set. */
  teamsPath?: string;
  /** The playground (a third messenger, with its own outbox rows): off in tests unless asked for. */
  playground?: 'on' | 'off' | 'auto';
  playgroundToken?: string;
  /** Many Slack workspaces: the install flow (SLACK_CLIENT_ID…) instead of one bot token. */
  slackInstalls?: boolean;
}

/**
 * A team in a workspace (Slack) or app (Lark) of its own, for the tests of several: its rep has the
 * same user id as every other team's (U0SAME, ou_same), which is another person in each.
 */
export function separateTeamYaml(
  id: string,
  o: { workspace?: string; larkChat?: string; larkApp?: string; manager?: boolean },
): string {
  const upper = id.toUpperCase();
  const rep = o.workspace ? 'slack: U0SAME' : 'lark: ou_same';
  return [
    `  - id: ${id}`,
    `    name: Team ${id}`,
    '    timezone: UTC',
    ...(o.workspace ? [`    slack: { channel: C0${upper}, workspace: ${o.workspace} }`] : []),
    ...(o.larkChat ? [`    lark: { chat: ${o.larkChat}${o.larkApp ? `, app: ${o.larkApp}` : ''} }`] : []),
    '    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }',
    '    sla: { followUp: 1h, remindBefore: 10m }',
    '    cardBurst: off',
    '    members:',
    `      - { name: Rep of ${id}, ${rep} }`,
    ...(o.manager ? [`      - { name: Manager of ${id}, slack: UMGR${upper}, role: manager }`] : []),
  ].join('\n');
}

/** The Slack app of the install-flow tests: its client id and secret, state secret and sealing key. */
export const SLACK_OAUTH_APP = {
  clientId: '1234567890.0987654321',
  clientSecret: 'test-client-secret',
  stateSecret: 'test-state-secret-0123456789',
  installKey: Buffer.alloc(32, 9).toString('base64'),
} as const;

export async function startTestLeadpool(o: TestLeadpoolOptions): Promise<Leadpool> {
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-test-'));
  const teamsPath = o.teamsPath ?? join(dir, 'teams.yaml');
  writeFileSync(teamsPath, o.teams ?? teamsYaml());
  const env = parseEnv({
    PORT: '0',
    DATABASE_URL: o.databaseUrl,
    DATABASE_POOL_SIZE: String(o.poolSize ?? 20),
    TEAMS_CONFIG: teamsPath,
    INTAKE_API_KEY: INTAKE_KEY,
    SLACK_BOT_TOKEN: o.slackApiUrl && !o.slackInstalls ? 'xoxb-test-token' : undefined,
    ...(o.slackInstalls
      ? {
          SLACK_CLIENT_ID: SLACK_OAUTH_APP.clientId,
          SLACK_CLIENT_SECRET: SLACK_OAUTH_APP.clientSecret,
          SLACK_STATE_SECRET: SLACK_OAUTH_APP.stateSecret,
          SLACK_INSTALL_KEY: SLACK_OAUTH_APP.installKey,
        }
      : {}),
    SLACK_SIGNING_SECRET: o.slackApiUrl ? SIGNING_SECRET : undefined,
    SLACK_API_URL: o.slackApiUrl,
    SLACK_APP_TOKEN: o.slackAppToken,
    OUTBOX_POLL_MS: '200',
    // Tests post many cards to one channel in a moment; the pacing test sets its own gap.
    SLACK_POST_GAP_MS: String(o.slackPostGapMs ?? 0),
    SLACK_TIMEOUT_MS: o.slackTimeoutMs ? String(o.slackTimeoutMs) : undefined,
    OUTBOX_MAX_ATTEMPTS: o.outboxMaxAttempts ? String(o.outboxMaxAttempts) : undefined,
    LARK_APP_ID: o.lark ? LARK_APP.id : undefined,
    LARK_APP_SECRET: o.lark ? LARK_APP.secret : undefined,
    LARK_TRANSPORT: o.lark?.transport ?? 'http',
    LARK_VERIFICATION_TOKEN: o.lark ? LARK_APP.token : undefined,
    LARK_ENCRYPT_KEY: o.lark ? LARK_APP.key : undefined,
    LARK_DOMAIN: o.lark?.url,
    LARK_APPS: o.lark?.moreApps
      ? JSON.stringify(
          o.lark.moreApps.map((a) => ({
            appId: a.id,
            appSecret: a.secret,
            verificationToken: a.token,
            encryptKey: a.key,
          })),
        )
      : undefined,
    PLAYGROUND: o.playground ?? 'off',
    PLAYGROUND_TOKEN: o.playgroundToken,
  });
  const lines = o.logLines ?? [];
  const log = createLogger('info', (line) => {
    lines.push(line);
    captureLogLine('app', line);
  });
  return startLeadpool({
    env,
    log,
    clock: o.clock,
    scheduler: false,
    dataDir: o.dataDir ?? join(dir, 'pglite'),
    secrets: o.secrets ?? {},
  });
}

export function postLead(app: Leadpool, body: unknown, key = INTAKE_KEY): Promise<Response> {
  return postLeadTo(app.url, body, key);
}

/** POST /api/leads to an app at `baseUrl` (one running as its own process, too). */
export async function postLeadTo(baseUrl: string, body: unknown, key = INTAKE_KEY): Promise<Response> {
  return fetch(`${baseUrl}/api/leads`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** Row counts of every table a request could write: equal before and after means nothing was written. */
export async function rowCounts(
  app: Leadpool,
): Promise<Record<'lead' | 'lead_event' | 'follow_up' | 'outbox', number>> {
  const rows = await app.db.prisma.$queryRaw<{ t: string; n: bigint }[]>`
    SELECT 'lead' AS t, count(*) AS n FROM lead UNION ALL SELECT 'lead_event', count(*) FROM lead_event
    UNION ALL SELECT 'follow_up', count(*) FROM follow_up UNION ALL SELECT 'outbox', count(*) FROM outbox_message`;
  const counts = { lead: 0, lead_event: 0, follow_up: 0, outbox: 0 };
  for (const r of rows) counts[r.t as keyof typeof counts] = Number(r.n);
  return counts;
}
