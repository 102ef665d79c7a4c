/**
 * 10,000 random and adversarial command texts (unicode, right-to-left and zero-width characters,
 * 40 KB strings, mention and link markup, injection-like strings) through the command parser and
 * the shared command runner, on the in-memory store: each is a parsed command or a usage message,
 * nothing throws anything but a refusal, and a text that is not a valid command writes nothing.
 */

import { describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import { sourceCatalog } from '../../src/domain/intake/sources.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { isDomainError } from '../../src/domain/shared/errors.js';
import { hasMessage } from '../../src/i18n/catalog.js';
import { createLogger } from '../../src/infra/logger.js';
import { type LeadCommand, parseLeadCommand } from '../../src/messengers/shared/command-parser.js';
import type { MessengerDeps } from '../../src/messengers/shared/messenger-deps.js';
import { answerTextCommand } from '../../src/messengers/shared/text-commands.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { Rng } from '../fuzz/generators.js';
import { funnelCounts } from '../support/chart-example.js';
import { testTeam } from '../support/fixtures.js';
import { MemoryLeadStore } from '../support/memory-store.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const COUNT = 10_000;

const VERBS = [
  'help',
  'mine',
  'new',
  'find',
  'show',
  'log',
  'stage',
  'convert',
  'lost',
  'invalid',
  'release',
  'assign',
  'reopen',
  '帮助',
  '我的',
  '查找',
  '查看',
  '跟进',
  '阶段',
  '转化',
  '丢单',
  '释放',
  '分配',
  '重开',
  'LOG',
  'Stage',
  'sta ge',
];
const WORDS = [
  'L-1',
  'L-2',
  '#3',
  'l4',
  '42',
  '0',
  '-1',
  '2147483648',
  '99999999999',
  'Globex',
  'qualified',
  'contacted',
  'new',
  '已联系',
  'call',
  'email',
  'other',
  'competitor',
  'no budget',
  '没预算',
  'spam',
  '12k',
  '1.2万',
  'EUR',
  'close:',
  'next:',
  '下次：',
  'outcome:',
  '结果:',
  'step:',
  'tomorrow 10am',
  '明天上午10点',
  'in 3d',
  '<@U0001|ana>',
  '<@U0002>',
  '<!channel>',
  'last week',
  '上月',
  '2026-11-01..2026-11-15',
  'alpha',
  '<https://evil.example|click>',
  '@here',
  '@_user_1',
  'Ana',
  'Rep 0',
  'overdue',
  '今天',
];
const HOSTILE = [
  '\u200b',
  '\u200e',
  '\u202e',
  '\u2066',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\ud800',
  'ﷺ',
  '𝕏',
  '😀',
  'é',
  'ｆｕｌｌ',
  "' OR 1=1 --",
  '"; DROP TABLE lead; --',
  '$' + '{jndi:ldap://x}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '%00',
  '\\',
  '../../etc/passwd',
  '%s%s%s',
  'NaN',
  'Infinity',
  '1e309',
  '__proto__',
  'constructor',
];

function fuzzText(rng: Rng): string {
  if (rng.chance(0.01)) return `${rng.pick(VERBS)} ${'x'.repeat(40_000)}`;
  if (rng.chance(0.01)) return `log L-1 call ${'长'.repeat(20_000)}`;
  const parts = [rng.chance(0.85) ? rng.pick(VERBS) : rng.pick(HOSTILE)];
  for (let i = rng.int(7); i > 0; i--) {
    const roll = rng.next();
    if (roll < 0.6) parts.push(rng.pick(WORDS));
    else if (roll < 0.85) parts.push(rng.pick(HOSTILE));
    else parts.push(String.fromCharCode(...Array.from({ length: 1 + rng.int(12) }, () => rng.int(0x3000))));
  }
  return parts.join(rng.pick([' ', '  ', '\t', '\n', '\u3000', '']));
}

function setup() {
  const store = new MemoryLeadStore();
  const teams = teamDirectory([testTeam()]);
  const rep = store.addMember({ teamId: 'alpha', name: 'Rep 0', slack: 'U0000' });
  store.addMember({ teamId: 'alpha', name: 'Ana', slack: 'U0001' });
  store.addMember({ teamId: 'alpha', name: 'Mia', role: 'manager', slack: 'UMGR' });
  store.addLead({ name: 'Globex buyer', company: 'Globex' });
  store.addLead({
    status: 'owned',
    ownerId: rep.id,
    stage: 'contacted',
    followUpDueAt: new Date('2026-03-02T10:00:00Z'),
  });
  store.addLead({ status: 'closed', stage: 'lost', ownerId: rep.id, closeReason: 'competitor' });
  const deps = {
    store,
    teams,
    clock: new ManualClock('2026-03-02T09:00:00Z'),
    leads: store.readModel(),
    // The funnel's SQL is tested against PostgreSQL; here only that funnel commands never crash or write.
    reports: {
      funnel: async () => funnelCounts({}),
      byChannel: async () => [],
      byRep: async () => [],
      trend: async () => [],
    },
    sources: sourceCatalog(),
    // Admin commands reach the outbox in the database; here only that they never crash or write.
    deadLetters: { count: async () => 0, latest: async () => [], retry: async () => 0 },
    directory: undefined,
    log: createLogger('error', () => {}),
  } as unknown as MessengerDeps;
  return { store, deps };
}

const KINDS = new Set([
  'extend',
  'answer_extension',
  'outbox',
  'outbox_retry',
  'funnel',
  'export',
  'help',
  'mine',
  'new',
  'find',
  'show',
  'log',
  'stage',
  'convert',
  'close',
  'release',
  'assign',
  'reopen',
  'invalid',
]);

function checkParsed(text: string, cmd: LeadCommand): void {
  expect(KINDS.has(cmd.kind), text).toBe(true);
  if (cmd.kind === 'invalid') expect(hasMessage(cmd.problem), cmd.problem).toBe(true);
  if ('lead' in cmd) {
    const lead = cmd.lead;
    if ('id' in lead) expect(lead.id >= 1 && lead.id <= 2_147_483_647).toBe(true);
    else expect(lead.search.length).toBeLessThanOrEqual(100);
  }
  for (const value of Object.values(cmd))
    if (typeof value === 'string') expect(value.length).toBeLessThanOrEqual(40_100);
}

describe('fuzzing the command parser and runner', () => {
  it(`parses ${COUNT.toLocaleString('en-US')} hostile texts into a command or a usage message, and runs them without a crash or a stray write`, async () => {
    const rng = new Rng(SEED);
    const { store, deps } = setup();
    const tally: Record<string, number> = {};
    for (let i = 0; i < COUNT; i++) {
      const text = fuzzText(rng);
      const cmd = parseLeadCommand(text);
      checkParsed(text, cmd);
      tally[cmd.kind] = (tally[cmd.kind] ?? 0) + 1;
      if (cmd.kind === 'new' || cmd.kind === 'export') continue;
      const user = rng.pick(['U0000', 'U0001', 'UMGR', 'UOUTSIDER']);
      const writes = store.writes;
      try {
        const answer = await answerTextCommand(deps, cmd, {
          actor: slackIdentity(user, 'T1'),
          locale: rng.pick(['en', 'zh-CN']),
          timeZone: 'Asia/Shanghai',
        });
        expect(typeof answer).toBe('string');
        expect(answer.length).toBeGreaterThan(0);
      } catch (error) {
        if (!isDomainError(error)) throw new Error(`${JSON.stringify(text.slice(0, 200))} threw ${String(error)}`);
      }
      if (
        cmd.kind === 'invalid' ||
        cmd.kind === 'help' ||
        cmd.kind === 'mine' ||
        cmd.kind === 'find' ||
        cmd.kind === 'show' ||
        user === 'UOUTSIDER'
      )
        expect(store.writes, `${cmd.kind} by ${user} wrote: ${JSON.stringify(text.slice(0, 120))}`).toBe(writes);
    }
    console.log(`command fuzz: ${COUNT} texts (seed ${SEED}): ${JSON.stringify(tally)}, 0 crashes`);
    expect(tally.invalid).toBeGreaterThan(1000);
    expect(Object.keys(tally).length).toBeGreaterThan(8);
  });
});
