/**
 * Daily digests: two instances of the app on one database, both running the digest job at the
 * same moments, and one replaced by a fresh one after a day of downtime. The team's manager gets
 * each digest exactly once, and the missed one late, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { dmChannelOf, FakeSlack } from '../support/fake-slack.js';
import { MANAGER, postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { buttonClick, claimClick, postSigned, signedForm, viewSubmission } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const teams = teamsYaml({ reps: 2, followUp: '1h', remindBefore: '10m' }).replace(
  '    members:\n',
  '    digest: { daily: "18:00" }\n    members:\n',
);
// Saturday 28 Nov 2026, 17:00 UTC (the team's zone).
const clock = new ManualClock('2026-11-28T17:00:00Z');
let db: TestDatabase;
let fake: FakeSlack;
let a: Leadpool;
let b: Leadpool;
let c: Leadpool | null = null;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  const start = () => startTestLeadpool({ databaseUrl: db.url, slackApiUrl: fake.apiUrl, clock, teams, poolSize: 5 });
  a = await start();
  b = await start();
});

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  await b?.stop();
  await c?.stop();
  await fake?.stop();
  await db?.drop();
});

const digestsTo = (user: string) =>
  fake
    .to('chat.postMessage', user)
    .filter((m) => String(m.body.text).includes('Daily digest') || String(m.body.text).includes('每日摘要'));
const drainAll = async (...apps: Leadpool[]) => {
  for (let i = 0; i < 2; i++) for (const app of apps) await app.relay.drain();
};

describe('daily digests', () => {
  it('go out once per day and team, however many instances run the job at once', async () => {
    const res = await postLead(a, { team: 'alpha', name: 'Digest Lead', company: 'Digest Co' });
    const { id } = (await res.json()) as { id: number };
    await postSigned(`${a.url}/slack/events`, signedForm(claimClick(repId(0), id, fake.responseUrl('d1'))));
    await until(
      async () => (await a.db.prisma.lead.findUniqueOrThrow({ where: { id } })).status === 'owned',
      'the claim',
    );
    // Digests start now: Friday's 18:00 is already past, recorded but not sent as a "late" one.
    const first = await Promise.all([a.runDigests(), b.runDigests()]);
    expect(first.map((r) => r.sent + r.late)).toEqual([0, 0]);
    expect(first.reduce((n, r) => n + r.skipped, 0)).toBe(1);
    await drainAll(a, b);
    expect(digestsTo(MANAGER)).toHaveLength(0);

    clock.set(new Date('2026-11-28T18:00:30Z'));
    fake.echoPostedChannel = true;
    const runs = await Promise.all([
      ...Array.from({ length: 5 }, () => a.runDigests()),
      ...Array.from({ length: 5 }, () => b.runDigests()),
    ]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.late, 0)).toBe(0);
    await drainAll(a, b);
    const [digest] = digestsTo(MANAGER);
    expect(digestsTo(MANAGER)).toHaveLength(1);
    const blocks = JSON.stringify(digest?.body.blocks);
    expect(blocks).toContain('每日摘要 · Alpha Sales · 2026-11-28');
    expect(blocks).toContain('新增线索：1');
    expect(blocks).not.toContain('迟发');
    // Claimed at 17:00 with a 1 h SLA, the lead is overdue at 18:00:30, and listed to act on.
    expect(blocks).toContain('当前：1 条逾期，0 条 2 小时内到期');
    expect(blocks).toContain('L-1 Digest Lead (Digest Co)，Rep 0');
    expect(await a.db.prisma.digestRun.count()).toBe(2);

    // Its two charts go into its thread, as PNGs, in one upload Slack completes against the digest's ts.
    const digestTs = fake.history.get(dmChannelOf(MANAGER))?.find((m) => String(m.text).includes('每日摘要'))?.ts;
    const [upload] = fake.of('files.completeUploadExternal').filter((c) => c.body.thread_ts === digestTs);
    expect(digestTs).toBeDefined();
    expect(upload?.body.channel_id).toBe(dmChannelOf(MANAGER));
    fake.echoPostedChannel = false;
    const files = upload?.body.files as { id: string; title: string }[];
    expect(files.map((f) => f.title)).toEqual(['漏斗 · Alpha Sales · 2026-11-28', '截至 2026-11-28 的 14 天']);
    for (const { id } of files) expect(fake.uploadBytes.get(id)?.subarray(1, 4).toString()).toBe('PNG');

    // "Open the funnel" on the digest opens this week's funnel for the manager.
    expect(blocks).toContain('"action_id":"report.funnel","value":"alpha"');
    const opened = fake.of('views.open').length;
    await postSigned(
      `${b.url}/slack/events`,
      signedForm(buttonClick(MANAGER, 'report.funnel', 'alpha', fake.responseUrl('f'), 'D1')),
    );
    await fake.waitFor(() => fake.of('views.open').length > opened, 'the funnel modal');
    expect(JSON.stringify(fake.of('views.open').at(-1)?.body.view)).toContain('漏斗 · Alpha Sales · 本周');

    // "Reassign" on the breached lead: a rep is refused, the manager picks who takes it over.
    expect(blocks).toContain('"action_id":"lead.assign.open","value":"1"');
    const before = fake.of('views.open').length;
    await postSigned(
      `${b.url}/slack/events`,
      signedForm(buttonClick(repId(1), 'lead.assign.open', '1', fake.responseUrl('r1'), 'D2')),
    );
    await fake.waitFor(() => fake.of('views.open').length > before, 'the refusal');
    expect(JSON.stringify(fake.of('views.open').at(-1)?.body.view)).toContain('Only a manager');
    await postSigned(
      `${b.url}/slack/events`,
      signedForm(buttonClick(MANAGER, 'lead.assign.open', '1', fake.responseUrl('r2'), 'D1')),
    );
    await fake.waitFor(() => fake.of('views.open').length > before + 1, 'the reassign form');
    const form = fake.of('views.open').at(-1)?.body.view as Parameters<typeof viewSubmission>[1];
    expect(form.callback_id).toBe('lead.assign.modal');
    type Select = { element?: { options?: { value: string; text: { text: string } }[] } };
    const options = (form.blocks as Select[]).flatMap((block) => block.element?.options ?? []);
    expect(options.map((o) => o.text.text).sort()).toEqual(['Mia Manager', 'Rep 1']);
    const rep1 = options.find((o) => o.text.text === 'Rep 1')?.value ?? '';
    const done = await postSigned(
      `${b.url}/slack/events`,
      signedForm(viewSubmission(MANAGER, form, { member: rep1 }, 'VASSIGN')),
    );
    expect(((await done.json()) as { response_action: string }).response_action).toBe('update');
    const lead = await b.db.prisma.lead.findUniqueOrThrow({ where: { id: 1 }, include: { owner: true } });
    expect(lead.owner?.displayName).toBe('Rep 1');
  });

  it('a digest missed while every instance was down goes out late, once, and says so', async () => {
    await a.stop();
    // Down through Sunday's 18:00; a fresh instance starts at 23:00.
    clock.set(new Date('2026-11-29T23:00:00Z'));
    c = await startTestLeadpool({ databaseUrl: db.url, slackApiUrl: fake.apiUrl, clock, teams, poolSize: 5 });
    const runs = await Promise.all([c.runDigests(), b.runDigests(), c.runDigests()]);
    expect(runs.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(runs.reduce((n, r) => n + r.late, 0)).toBe(1);
    // Slack refuses this digest's chart upload: the digest stands, is not sent again, and no chart lands.
    const completed = fake.of('files.completeUploadExternal').length;
    fake.failures.set('files.getUploadURLExternal', ['internal_error', 'internal_error']);
    await drainAll(c, b);
    expect(digestsTo(MANAGER)).toHaveLength(2);
    expect(fake.of('files.completeUploadExternal')).toHaveLength(completed);
    const late = JSON.stringify(digestsTo(MANAGER)[1]?.body.blocks);
    expect(late).toContain('每日摘要 · Alpha Sales · 2026-11-29');
    expect(late).toContain('迟发');
    // Still overdue (nobody swept): listed with buttons to act on it.
    expect(late).toContain('Digest Lead');
    expect(late).toContain('lead.release.open');
    expect(late).toContain('lead.show');
    // The next runs find nothing more to send.
    expect(await Promise.all([c.runDigests(), b.runDigests()])).toEqual([
      { sent: 0, late: 0, skipped: 0 },
      { sent: 0, late: 0, skipped: 0 },
    ]);
    await drainAll(c, b);
    expect(digestsTo(MANAGER)).toHaveLength(2);
    expect(
      await c.db.prisma.digestRun.findMany({ orderBy: { periodKey: 'asc' }, select: { periodKey: true, late: true } }),
    ).toEqual([
      { periodKey: '2026-11-27', late: true },
      { periodKey: '2026-11-28', late: false },
      { periodKey: '2026-11-29', late: true },
    ]);
  });
});
