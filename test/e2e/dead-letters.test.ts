/**
 * A message the outbox gives up on is not lost from sight: the log says why, /healthz counts it,
 * the managers' digest mentions it, and an admin lists and sends it again from Slack.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { dmChannelOf } from '../support/fake-slack.js';
import { MANAGER, postLead, repId, teamsYaml } from '../support/leadpool.js';
import { postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const ADMIN = 'UADMIN01';
const teams = teamsYaml({ reps: 1 })
  .replace('    members:\n', '    digest: { daily: "18:00" }\n    members:\n')
  .concat(`      - { name: Ada Admin, slack: ${ADMIN}, role: admin }\n`);
const clock = new ManualClock('2026-11-28T17:00:00Z');
const suite = useSlackSuite(teams, { clock, outboxMaxAttempts: 1 });
let seq = 0;

async function command(userId: string, text: string): Promise<string> {
  const id = `dl${++seq}`;
  await postSigned(`${suite.app.url}/slack/events`, signedForm(slashCommand(userId, text, suite.fake.responseUrl(id))));
  const path = `respond:/respond/${id}`;
  await suite.fake.waitFor(() => suite.fake.calls.some((c) => c.method === path), `reply to /lead ${text}`);
  return String(suite.fake.calls.find((c) => c.method === path)?.body.text);
}

describe('messages the outbox gave up on', () => {
  it('are logged with why, counted in /healthz and the digest, listed for admins only, and sent again on request', async () => {
    suite.fake.failures.set('chat.postMessage', ['channel_not_found']);
    const { id } = (await (await postLead(suite.app, { team: 'alpha', name: 'Never Posted' })).json()) as {
      id: number;
    };
    await suite.app.relay.drain();
    const row = await suite.app.db.prisma.outboxMessage.findFirstOrThrow({ where: { kind: 'lead.card' } });
    expect(row.deadAt).not.toBeNull();
    expect(suite.logLines.some((l) => l.includes('notification given up') && l.includes('channel_not_found'))).toBe(
      true,
    );

    const health = (await (await fetch(`${suite.app.url}/healthz`)).json()) as { outbox: { undelivered: number } };
    expect(health.outbox.undelivered).toBe(1);

    clock.set(new Date('2026-11-28T18:00:30Z'));
    await suite.app.runDigests();
    await suite.app.relay.drain();
    const digest = suite.fake.history.get(dmChannelOf(MANAGER))?.find((m) => String(m.text).includes('每日摘要'));
    expect(String(digest?.text)).toContain('1 条消息未能送达');

    expect(await command(repId(0), 'admin outbox')).toContain('Only an admin can do that.');
    const listed = await command(ADMIN, 'admin outbox');
    expect(listed).toContain(`#${row.id} slack lead.card, 1 attempt,`);
    expect(listed).toContain('channel_not_found');
    expect(await command(repId(0), 'admin outbox retry all')).toContain('Only an admin');

    expect(await command(ADMIN, 'admin outbox retry all')).toContain('Back in the queue and being sent now: 1.');
    await suite.fake.waitFor(
      () =>
        (suite.fake.history.get('C0ALPHA') ?? []).some(
          (m) => (m.metadata as { event_payload?: { lead?: number } })?.event_payload?.lead === id,
        ),
      'the card, sent again',
    );
    expect(await command(ADMIN, 'admin outbox')).toContain('Every message has been delivered');
    expect(await command(ADMIN, 'admin outbox retry 999999')).toContain('No undelivered message matched');
  });
});
