import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/shared/errors.js';
import type { Logger } from '../../src/infra/logger.js';
import {
  type Click,
  type Interaction,
  interaction,
  leadSubject,
  runInteraction,
} from '../../src/messengers/shared/interaction.js';
import { INTERACTIONS } from '../../src/messengers/shared/interactions.js';
import type { MessengerDeps } from '../../src/messengers/shared/messenger-deps.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';

/** The pipeline's own promises, on a table of three rows: how it checks, runs and refuses. */
function harness() {
  const lines: { level: string; message: string }[] = [];
  const log = (level: string) => (message: string) => void lines.push({ level, message });
  const logger: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  const deps = { log: logger } as unknown as MessengerDeps;
  const ran: number[] = [];
  const row = (id: string, run: (lead: number) => string) =>
    interaction({
      id,
      carries: 'lead',
      subject: leadSubject,
      answersIn: 'message',
      title: (_, { lead }) => `L-${lead}`,
      run: async (_deps, { subject }) => {
        ran.push(subject.lead);
        return { kind: 'replace', title: 'done', text: run(subject.lead) };
      },
    });
  const table = new Map<string, Interaction>([
    ['ok', row('ok', (lead) => `did L-${lead}`)],
    [
      'refused',
      row('refused', () => {
        throw new DomainError('lead.not_found', { lead: 7 });
      }),
    ],
    [
      'broken',
      row('broken', () => {
        throw new Error('database gone');
      }),
    ],
  ]);
  const click = (interaction: string, subject: unknown): Click => ({
    interaction,
    actor: slackIdentity('U1'),
    subject,
    form: {},
    reader: { locale: 'en', timeZone: 'UTC' },
  });
  return { lines, ran, run: (id: string, subject: unknown) => runInteraction(deps, table, click(id, subject)) };
}

describe('the interaction pipeline', () => {
  it('runs a row with its checked subject: a lead id as text or as a number', async () => {
    const h = harness();
    expect(await h.run('ok', { lead: '42' })).toEqual({ kind: 'replace', title: 'done', text: 'did L-42' });
    expect(await h.run('ok', { lead: 43 })).toMatchObject({ text: 'did L-43' });
    expect(h.ran).toEqual([42, 43]);
    expect(h.lines).toEqual([]);
  });

  it('answers a forged or old button, or an unknown id, as out of date, logs it, and runs nothing', async () => {
    const h = harness();
    for (const [id, subject] of [
      ['ok', { lead: 'L-1; DROP TABLE lead' }],
      ['ok', { lead: '0' }],
      ['ok', {}],
      ['ok', null],
      ['nowhere', { lead: '1' }],
    ] as const) {
      expect(await h.run(id, subject)).toMatchObject({ kind: 'notice', tone: 'warning', title: 'Out of date' });
    }
    expect(h.ran).toEqual([]);
    expect(h.lines.filter((l) => l.level === 'warn')).toHaveLength(5);
    expect(h.lines.every((l) => l.message.includes('malformed value ignored'))).toBe(true);
  });

  it('says a refusal to the clicker without logging it, and apologises for (and logs) anything else', async () => {
    const h = harness();
    expect(await h.run('refused', { lead: '7' })).toEqual({
      kind: 'notice',
      tone: 'warning',
      title: 'L-7',
      text: expect.stringContaining('L-7'),
    });
    expect(h.lines).toEqual([]);
    const broken = await h.run('broken', { lead: '8' });
    expect(broken).toMatchObject({ kind: 'notice', tone: 'error', title: 'L-8' });
    expect(JSON.stringify(broken)).not.toContain('database gone');
    expect(h.lines).toEqual([{ level: 'error', message: 'broken failed' }]);
  });

  it('every row of the real table refuses a subject that is not its own, before running anything', async () => {
    const lines: string[] = [];
    const deps = { log: { warn: (m: string) => lines.push(m) } } as unknown as MessengerDeps;
    for (const id of INTERACTIONS.keys()) {
      const reply = await runInteraction(deps, INTERACTIONS, {
        interaction: id,
        actor: slackIdentity('U1'),
        subject: { lead: 'not a lead', team: 'Not A Team!' },
        form: {},
        reader: { locale: 'zh-CN', timeZone: 'Asia/Shanghai' },
      });
      expect(reply).toMatchObject({ kind: 'notice', tone: 'warning', title: '已过期' });
    }
    expect(lines).toHaveLength(INTERACTIONS.size);
  });
});
