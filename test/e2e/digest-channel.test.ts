/**
 * A team with a managers' channel: its digest is posted there once, with its charts in the
 * thread, and its managers get no DM of it on that messenger; Lark posts to its managers' chat.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_MANAGER, MANAGER, postLead, teamsYaml } from '../support/leadpool.js';
import { useSlackSuite } from '../support/slack-suite.js';

const MANAGERS_CHANNEL = 'CMANAGERS';
const MANAGERS_CHAT = 'oc_managers';
const withDigest = (yaml: string, to: string) =>
  yaml.replace('    members:\n', `    digest: { daily: "18:00", ${to} }\n    members:\n`);

describe('a digest for a managers’ channel in Slack', () => {
  const clock = new ManualClock('2026-11-28T18:00:30Z');
  const teams = withDigest(teamsYaml({ reps: 1 }), `slack: { channel: ${MANAGERS_CHANNEL} }`);
  const suite = useSlackSuite(teams, { clock, poolSize: 5 });

  it('is posted there once, in the team’s language, with its charts in the thread, and DMs no manager', async () => {
    await postLead(suite.app, { team: 'alpha', name: 'Channel Lead' });
    expect(await suite.app.runDigests()).toEqual({ sent: 1, late: 0, skipped: 0 });
    expect(await suite.app.runDigests()).toEqual({ sent: 0, late: 0, skipped: 0 });
    for (let i = 0; i < 3; i++) await suite.app.relay.drain();
    const posts = suite.fake.to('chat.postMessage', MANAGERS_CHANNEL);
    expect(posts).toHaveLength(1);
    expect(String(posts[0]?.body.text)).toContain('Daily digest · Alpha Sales · 2026-11-28');
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain('Leads in: 1');
    expect(suite.fake.to('chat.postMessage', MANAGER)).toHaveLength(0);
    const ts = suite.fake.history.get(MANAGERS_CHANNEL)?.[0]?.ts;
    const upload = suite.fake.of('files.completeUploadExternal').find((c) => c.body.thread_ts === ts);
    expect(upload?.body.channel_id).toBe(MANAGERS_CHANNEL);
    expect(upload?.body.files).toHaveLength(2);
  });
});

describe('a digest for a managers’ chat in Lark', () => {
  const suite = useLarkSuite({
    clock: new ManualClock('2026-11-28T18:00:30Z'),
    teams: withDigest(teamsYaml({ reps: 1, lark: true }), `lark: { chat: ${MANAGERS_CHAT} }`),
  });

  it('is sent to the chat once, charts included, and not to the manager', async () => {
    await postLead(suite.app, { team: 'alpha', name: 'Chat Lead' });
    expect(await suite.app.runDigests()).toEqual({ sent: 1, late: 0, skipped: 0 });
    for (let i = 0; i < 3; i++) await suite.app.relay.drain();
    const inChat = suite.fake.to(MANAGERS_CHAT).filter((m) => JSON.stringify(m.card).includes('Daily digest'));
    expect(inChat).toHaveLength(1);
    expect(JSON.stringify(inChat[0]?.card)).toContain('"tag":"chart"');
    const dms = suite.fake.to(LARK_MANAGER).filter((m) => JSON.stringify(m.card).includes('每日摘要'));
    expect(dms).toHaveLength(0);
  });
});
