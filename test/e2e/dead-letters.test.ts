/**
 * A message the outbox gives up on is not lost from sight: the log says why, /healthz counts it,
 * the managers' digest mentions it, and an admin lists and sends it again from Slack.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dmChannelOf, FakeSlack } from '../support/fake-slack.js';
import { MANAGER, postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { postSigned, signedForm, slashCommand } from '../support/slack-requests.js';

const ADMIN = 'UADMIN01';
const teams = teamsYaml({ reps: 1 })
  .replace('    members:\n', '    digest: { daily: "18:00" }\n    members:\n')
  .concat(`      - { name: Ada Admin, slack: ${ADMIN}, role: admin }\n`);
const clock = new ManualClock('2026-11-28T17:00:00Z');
let db: TestDatabase;
let fake: FakeSlack;
let app: Leadpool;
const logLines: string[] = [];
let seq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  app = await startTestLeadpool({
    databaseUrl: db.url,
    slackApiUrl: fake.apiUrl,
    teams,
    clock,
    logLines,
    outboxMaxAttempts: 1,
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await db?.drop();
});

async function command(userId: string, text: string): Promise<string> {
  const id = `dl${++seq}`;
  await postSigned(`${app.url}/slack/events`, signedForm(slashCommand(userId, text, fake.responseUrl(id))));
  const path = `respond:/respond/${id}`;
  await fake.waitFor(() => fake.calls.some((c) => c.method === path), `reply to /lead ${text}`);
  return String(fake.calls.find((c) => c.method === path)?.body.text);
}

describe('messages the outbox gave up on', () => {
  it('are logged with why, counted in /healthz and the digest, listed for admins only, and sent again on request', async () => {
    fake.failures.set('chat.postMessage', ['channel_not_found']);
    const { id } = (await (await postLead(app, { team: 'alpha', name: 'Never Posted' })).json()) as { id: number };
    await app.relay.drain();
    const row = await app.db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'lead.card' } });
    expect(row.deadAt).not.toBeNull();
    expect(logLines.some((l) => l.includes('notification given up') && l.includes('channel_not_found'))).toBe(true);

    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { outbox: { undelivered: number } };
    expect(health.outbox.undelivered).toBe(1);

    clock.set(new Date('2026-11-28T18:00:30Z'));
    await app.runDigests();
    await app.relay.drain();
    const digest = fake.history.get(dmChannelOf(MANAGER))?.find((m) => String(m.text).includes('每日摘要'));
    expect(String(digest?.text)).toContain('1 条消息未能送达');

    expect(await command(repId(0), 'admin outbox')).toContain('Only an admin can do that.');
    const listed = await command(ADMIN, 'admin outbox');
    expect(listed).toContain(`#${row.id} slack lead.card, 1 attempts`);
    expect(listed).toContain('channel_not_found');
    expect(await command(repId(0), 'admin outbox retry all')).toContain('Only an admin');

    expect(await command(ADMIN, 'admin outbox retry all')).toContain('Back in the queue and being sent now: 1.');
    await fake.waitFor(
      () =>
        (fake.history.get('C0ALPHA') ?? []).some(
          (m) => (m.metadata as { event_payload?: { lead?: number } })?.event_payload?.lead === id,
        ),
      'the card, sent again',
    );
    expect(await command(ADMIN, 'admin outbox')).toContain('Every message has been delivered');
    expect(await command(ADMIN, 'admin outbox retry 999999')).toContain('No undelivered message matched');
  });
});
