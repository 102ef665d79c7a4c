import { describe, expect, it } from 'vitest';
import { ConfigError, larkApps, parseEnv, slackMode } from '../../src/config/env.js';
import { loadTeamsConfig, parseTeamsConfig } from '../../src/config/teams-config.js';
import { EXAMPLE_TEAMS_CONFIG } from '../../src/config/teams-schema.js';
import { createLogger, redact } from '../../src/infra/logger.js';
import { larkSdkLogger } from '../../src/messengers/lark/sdk-logger.js';

/** What parseEnv says is wrong with the variables: '' when nothing is. */
function problemsOf(vars: Record<string, string>): string {
  try {
    parseEnv(vars);
  } catch (error) {
    return (error as ConfigError).problems.join('\n');
  }
  return '';
}

describe('env', () => {
  it('applies defaults and tells which Slack variables are missing', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(slackMode(env)).toEqual({ kind: 'off', missing: ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET'] });
    expect(slackMode(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).kind).toBe('http');
    expect(slackMode(parseEnv({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1' })).kind).toBe('socket');
  });

  it('turns on the install flow with all four of its variables, over HTTP or Socket Mode, and says what is missing', () => {
    const installs = {
      SLACK_CLIENT_ID: '1234567890.0987654321',
      SLACK_CLIENT_SECRET: 'secret',
      SLACK_STATE_SECRET: 'a-state-secret-of-16+',
      SLACK_INSTALL_KEY: 'ab'.repeat(32),
    };
    const http = slackMode(parseEnv({ ...installs, SLACK_SIGNING_SECRET: 's' }));
    expect(http).toMatchObject({ kind: 'http', auth: { kind: 'installs', clientId: installs.SLACK_CLIENT_ID } });
    expect(slackMode(parseEnv({ ...installs, SLACK_APP_TOKEN: 'xapp-1' }))).toMatchObject({
      kind: 'socket',
      auth: { kind: 'installs' },
    });
    expect(slackMode(parseEnv(installs))).toEqual({ kind: 'off', missing: ['SLACK_SIGNING_SECRET'] });
    const { SLACK_INSTALL_KEY: _key, ...withoutKey } = installs;
    expect(problemsOf(withoutKey)).toContain('SLACK_INSTALL_KEY: must be set too for the install flow');
    expect(problemsOf({ ...installs, SLACK_BOT_TOKEN: 'xoxb-1' })).toContain('SLACK_BOT_TOKEN: set either');
    expect(problemsOf({ ...installs, SLACK_INSTALL_KEY: 'too-short' })).toContain(
      'SLACK_INSTALL_KEY: must be 32 bytes',
    );
    expect(problemsOf({ ...installs, SLACK_INSTALL_KEY: Buffer.alloc(32, 1).toString('base64') })).toBe('');
  });

  it('serves more Lark apps from LARK_APPS, each with its own secrets, and says what is wrong with the list', () => {
    const first = { LARK_APP_ID: 'cli_a1b2c3d4e5f60718', LARK_APP_SECRET: 's1', LARK_VERIFICATION_TOKEN: 'v1' };
    const second = { appId: 'cli_b2c3d4e5f6071829', appSecret: 's2', verificationToken: 'v2' };
    const apps = larkApps(
      parseEnv({ ...first, LARK_TRANSPORT: 'http', LARK_ENCRYPT_KEY: 'k1', LARK_APPS: JSON.stringify([second]) }),
    );
    expect(apps.map((a) => [a.appId, a.verificationToken, a.encryptKey, a.kind])).toEqual([
      ['cli_a1b2c3d4e5f60718', 'v1', 'k1', 'http'],
      // The first app's encrypt key is its own: the second has none.
      ['cli_b2c3d4e5f6071829', 'v2', undefined, 'http'],
    ]);
    expect(problemsOf({ ...first, LARK_APPS: '[{appId:' })).toContain('LARK_APPS: must be a JSON list');
    expect(problemsOf({ ...first, LARK_APPS: '[{"appId":"cli_x","appSecret":"s"}]' })).toContain(
      'LARK_APPS: 0.appId: must be an app id',
    );
    expect(problemsOf({ LARK_APPS: JSON.stringify([second]) })).toContain('LARK_APPS: needs LARK_APP_ID too');
    expect(problemsOf({ ...first, LARK_APPS: JSON.stringify([{ ...second, appId: first.LARK_APP_ID }]) })).toContain(
      'more than once',
    );
    const { verificationToken: _token, ...tokenless } = second;
    expect(problemsOf({ ...first, LARK_TRANSPORT: 'http', LARK_APPS: JSON.stringify([tokenless]) })).toContain(
      'cli_b2c3d4e5f6071829 needs its verificationToken',
    );
    // Over the long connection no callback token is needed.
    expect(problemsOf({ ...first, LARK_APPS: JSON.stringify([tokenless]) })).toBe('');
  });

  it('reports every bad variable by name', () => {
    try {
      parseEnv({
        PORT: 'eighty',
        SLACK_BOT_TOKEN: 'xoxp-user',
        DATABASE_URL: 'mysql://x',
        SLACK_API_URL: 'http://x/api',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'SLACK_BOT_TOKEN', 'DATABASE_URL', 'SLACK_API_URL']) expect(problems).toContain(name);
    }
  });
});

describe('teams config', () => {
  it('loads the shipped example', () => {
    const config = loadTeamsConfig(EXAMPLE_TEAMS_CONFIG);
    expect(config.teams[0]).toMatchObject({
      id: 'inbound',
      dailyClaimQuota: 5,
      followUpMs: 86_400_000,
      cooldownMs: 172_800_000,
    });
    // The README's team: Chinese numbers without a country code are read as Chinese.
    expect(config.teams[0]?.intake.defaultRegion).toBe('CN');
    expect(config.teams[0]?.timeZone).toBe('Asia/Shanghai');
    expect(config.members.find((m) => m.displayName === '王芳')?.locale).toBe('zh-CN');
    expect(config.members.find((m) => m.displayName === 'Ana Lima')?.locale).toBe('en');
  });

  it('reports each problem with its path', () => {
    const yaml = `teams:
  - id: Bad Id
    name: x
    timezone: Mars/Olympus
    claim: { dailyQuota: 0, holdingCap: 3, cooldown: soon }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: a, slack: U1 }
      - { name: b, slack: U1 }
`;
    try {
      parseTeamsConfig(yaml, 'teams.yaml');
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('teams.0.id');
      expect(problems).toContain('teams.0.timezone: not an IANA time zone');
      expect(problems).toContain('teams.0.claim.dailyQuota');
      expect(problems).toContain('"soon" is not a duration');
    }
  });

  it('reports a member listed twice in a team', () => {
    const yaml = `teams:
  - id: ok
    name: x
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 3, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: a, slack: U1 }
      - { name: b, slack: U1 }
`;
    expect(() => parseTeamsConfig(yaml, 'teams.yaml')).toThrow(/teams\.0\.members\.1\.slack: U1 listed twice/);
  });

  it('rejects YAML that does not parse', () => {
    expect(() => parseTeamsConfig('teams: [', 'x.yaml')).toThrow(/not valid YAML/);
  });
});

describe('logger', () => {
  it('never writes e-mail addresses or phone numbers', () => {
    expect(redact('lead from Wei.Zhang@acme.example, tel +86 138-0013-8000')).toBe('lead from [email], tel [phone]');
    expect(redact('listening on http://127.0.0.1:3000, 42 leads')).toBe('listening on http://127.0.0.1:3000, 42 leads');
    const lines: string[] = [];
    createLogger('info', (l) => lines.push(l)).error('failed for ann@example.com', { detail: 'phone 13800138000' });
    expect(lines.join()).not.toMatch(/ann@example\.com|13800138000/);
  });

  it('writes one JSON object a line through pino: time kept, secrets dropped by name, contacts masked anywhere', () => {
    const lines: string[] = [];
    createLogger('info', (l) => lines.push(l)).warn('refused', {
      token: 'xoxb-secret-value',
      view: 'V0123',
      detail: 'call +49 151 2345 6789 or mail a.b@c.example',
    });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, string>;
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(line).toMatchObject({ level: 'warn', msg: 'refused', token: '[secret]', view: 'V0123' });
    expect(line.detail).toBe('call [phone] or mail [email]');
  });

  it('masks secrets inside text a library logged: key-value pairs, JSON-escaped bodies, bearer and Slack tokens', () => {
    const body = JSON.stringify({ app_id: 'cli_1', app_secret: 'S3cr3tValue' });
    for (const text of [body, JSON.stringify(body), JSON.stringify(JSON.stringify(body)), 'app_secret=S3cr3tValue&x=1'])
      expect(redact(text)).not.toContain('S3cr3tValue');
    expect(redact('Authorization: Bearer abcdefgh12345678')).not.toContain('abcdefgh12345678');
    expect(redact('token xoxb-1234-5678-abcdefghij used')).not.toContain('xoxb-1234');
    expect(redact('{"app_id":"cli_1"}')).toBe('{"app_id":"cli_1"}');
  });

  it('masks the configured secrets by value wherever they appear', () => {
    const lines: string[] = [];
    const log = createLogger('info', (l) => lines.push(l), { secrets: ['plain-value-of-a-secret', 'short'] });
    log.info('connecting with plain-value-of-a-secret', { detail: 'x plain-value-of-a-secret y short' });
    expect(lines.join('\n')).not.toContain('plain-value-of-a-secret');
    expect(lines.join('\n')).toContain('short'); // too short to mask without harming ordinary words
  });

  it("cuts the Lark SDK's AxiosError dumps down to what helps, without the request's secret", () => {
    const lines: string[] = [];
    const sdk = larkSdkLogger(createLogger('debug', (l) => lines.push(l)));
    const error = Object.assign(new Error('Request failed with status code 400'), {
      isAxiosError: true,
      code: 'ERR_BAD_REQUEST',
      config: {
        url: 'https://open.feishu.cn/open-apis/auth/v3/tenant_access_token/internal',
        data: '{"app_id":"cli_1","app_secret":"S3cr3tValue"}',
      },
      response: { status: 400, data: { code: 10014, msg: 'app secret invalid' } },
    });
    sdk.error([error]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('S3cr3tValue');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      level: 'error',
      httpStatus: 400,
      larkCode: 10014,
      larkMsg: 'app secret invalid',
      path: '/open-apis/auth/v3/tenant_access_token/internal',
    });
  });

  it('drops lines below its level', () => {
    const lines: string[] = [];
    const log = createLogger('warn', (l) => lines.push(l));
    log.info('quiet');
    log.warn('loud');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'warn', msg: 'loud' });
  });
});

describe('teams file: intake, sources and scoring', () => {
  it('reads a team’s score rules from a file next to the teams file, and sources with costs', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'leadpool-scoring-'));
    writeFileSync(
      join(dir, 'rules.yaml'),
      'base: 50\nrules:\n  - { id: vip, when: { field: attributes.tier, in: [gold] }, points: 30 }\n',
    );
    writeFileSync(
      join(dir, 'teams.yaml'),
      `teams:
  - id: a
    name: A
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    intake: { required: [name, phone|email], defaultRegion: CN, duplicateAnswerWithin: 30m }
    scoring: ./rules.yaml
sources:
  - { id: wechat_group, category: self_built, label: WeChat group, cost: { amount: 100, currency: CNY } }
`,
    );
    const config = loadTeamsConfig(join(dir, 'teams.yaml'));
    const team = config.teams[0];
    expect(team?.intake).toEqual({
      required: [['name'], ['phone', 'email']],
      defaultRegion: 'CN',
      alsoRegions: [],
      foldEmailAliases: false,
      currency: 'USD',
      duplicateAnswerMs: 1_800_000,
    });
    expect(team?.scoring.base).toBe(50);
    expect(team?.scoring.rules.map((r) => [r.id, r.points])).toEqual([['vip', 30]]);
    expect(config.sources.find('WECHAT_GROUP')?.cost).toEqual({ amount: 100, currency: 'CNY', period: 'month' });
    expect(config.sources.find('referral')?.category).toBe('free');
  });

  it('names the problem in a bad requirement or score rule', () => {
    const yaml = (extra: string) => `teams:
  - id: a
    name: A
    timezone: UTC
    claim: { dailyQuota: 1, holdingCap: 1, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
${extra}`;
    expect(() => parseTeamsConfig(yaml('    intake: { required: [phone|fax] }'), 't.yaml')).toThrow(
      /teams\.0\.intake\.required\.0: fields are name/,
    );
    expect(() =>
      parseTeamsConfig(yaml('    scoring: { rules: [{ id: Bad-Id, when: { field: x }, points: 1 }] }'), 't.yaml'),
    ).toThrow(/teams\.0\.scoring.*rules\.0\.id: lower-case letters/);
  });
});
