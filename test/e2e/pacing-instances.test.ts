/**
 * Three Leadpool processes on one PostgreSQL, posting a 300-lead burst into one Slack channel: the
 * gaps between the posts Slack receives stay at one instance's pace (SLACK_POST_GAP_MS), because
 * every instance books its posts from the same rows; a rate limit one instance meets holds the
 * others too; and a lead for another channel goes out at once, not behind the burst.
 */
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnApp } from '../support/app-process.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { channelTeamsYaml, INTAKE_KEY } from '../support/leadpool.js';
import { scrape, seriesValue } from '../support/prometheus.js';
import { SIGNING_SECRET } from '../support/slack-requests.js';
import { until } from '../support/until.js';

const BURST = 300;
const GAP_MS = 100;
const teams = channelTeamsYaml([
  ['alpha', 'C0ALPHA'],
  ['beta', 'C0BETA'],
]);

let db: TestDatabase;
let slack: FakeSlack;
const children: ChildProcess[] = [];
const urls: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  slack = new FakeSlack();
  await slack.start();
  const apps = await Promise.all(
    [0, 1, 2].map(() =>
      spawnApp({
        databaseUrl: db.url,
        teamsYaml: teams,
        env: {
          SLACK_BOT_TOKEN: 'xoxb-test-token',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_POST_GAP_MS: String(GAP_MS),
          OUTBOX_POLL_MS: '200',
        },
      }),
    ),
  );
  for (const app of apps) {
    children.push(app.child);
    urls.push(app.url);
  }
}, 120_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await slack?.stop();
  await db?.drop();
});

const postBatch = (url: string, leads: unknown[]) =>
  fetch(`${url}/api/leads/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ leads }),
  });
const postsTo = (channel: string) => slack.of('chat.postMessage').filter((c) => c.body.channel === channel);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
/** The most posts in any `windowMs` (times in order): a rate as Slack counts it, unmoved by one late post. */
const mostWithin = (times: number[], windowMs: number) => {
  let most = 0;
  for (let first = 0, last = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
};

describe('pacing shared by three instances', () => {
  it("keeps a 300-lead burst into one channel at one instance's pace, and another channel is not kept waiting", async () => {
    const leads = Array.from({ length: BURST }, (_, i) => ({ team: 'alpha', name: `Burst Lead ${i}` }));
    const started = performance.now();
    expect((await postBatch(urls[0] as string, leads)).status).toBe(200);
    // Once the burst is under way, a lead for another channel arrives at another instance.
    await until(() => postsTo('C0ALPHA').length >= 20, 'the burst to be under way', 30_000);
    const otherSent = performance.now();
    expect((await postBatch(urls[1] as string, [{ team: 'beta', name: 'Other Channel Lead' }])).status).toBe(200);
    await until(() => postsTo('C0BETA').length === 1, "the other channel's card", 20_000);
    const otherWaited = (postsTo('C0BETA')[0]?.at ?? 0) - otherSent;

    await until(() => postsTo('C0ALPHA').length >= BURST, 'every card of the burst', 120_000);
    const times = postsTo('C0ALPHA').map((c) => c.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    const sorted = [...gaps].sort((a, b) => a - b);
    const took = (times.at(-1) as number) - (times[0] as number);
    const inThreeSeconds = mostWithin(times, 3_000);
    const byInstance = await Promise.all(
      urls.map(async (url) =>
        seriesValue(
          await scrape(url),
          'leadpool_platform_api_call_duration_seconds_count{messenger="slack",method="chat.postMessage",outcome="ok"}',
        ),
      ),
    );
    console.log(
      `pacing: ${BURST} posts into one channel by 3 instances (${byInstance.join(' / ')} each) in ${(took / 1000).toFixed(1)} s; gaps min ${sorted[0]?.toFixed(0)} ms, p5 ${percentile(sorted, 0.05).toFixed(0)}, p50 ${percentile(sorted, 0.5).toFixed(0)}, p95 ${percentile(sorted, 0.95).toFixed(0)}, max ${sorted.at(-1)?.toFixed(0)} ms (pace ${GAP_MS} ms); at most ${inThreeSeconds} in any 3 s; another channel's card ${otherWaited.toFixed(0)} ms after its lead; whole burst ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    // Each card once, every instance posting, and together never faster than one instance's pace.
    expect(postsTo('C0ALPHA')).toHaveLength(BURST);
    for (const posted of byInstance) expect(posted ?? 0).toBeGreaterThan(0);
    expect(took).toBeGreaterThanOrEqual((BURST - 1) * GAP_MS * 0.95);
    expect(percentile(sorted, 0.5)).toBeGreaterThanOrEqual(GAP_MS * 0.9);
    // A post held up by a busy machine makes a short gap behind it, so single gaps are not the
    // measure: the count in any 3 s is. At the pace it is 30; a second's delay makes it 40; three
    // instances each keeping only their own pace would make it 90.
    expect(inThreeSeconds).toBeLessThanOrEqual((3_000 / GAP_MS) * 1.4);
    // Not behind the burst, whose cards take 30 s. On a quiet machine it comes within about 0.3 s; on
    // a starved CI machine, where the burst falls behind its own schedule, 7.6 s was seen: the burst's
    // cards already due go first, as the outbox does not know which channel a message is for.
    expect(otherWaited).toBeLessThan(10_000);
  }, 150_000);

  it('holds every instance off a channel for the Retry-After one of them was given', async () => {
    slack.retryAfterSeconds = 3;
    slack.failures.set('chat.postMessage', ['ratelimited']);
    const before = postsTo('C0ALPHA').length;
    const leads = Array.from({ length: 6 }, (_, i) => ({ team: 'alpha', name: `After Limit ${i}` }));
    const sent = performance.now();
    expect((await postBatch(urls[2] as string, leads)).status).toBe(200);
    await until(() => slack.failures.get('chat.postMessage')?.length === 0, 'the rate-limited answer', 10_000);
    const limitedAt = performance.now();
    await until(() => postsTo('C0ALPHA').length >= before + 1 + 6, 'the cards after the limit', 30_000);
    // The one refused post and the six cards: none of the six reached Slack within the 3 s held.
    const answered = (slack.answeredPosts.get('C0ALPHA') ?? []).length;
    expect(answered).toBe(BURST + 6);
    const firstAfter = postsTo('C0ALPHA')
      .slice(before + 1)
      .map((c) => c.at);
    expect(Math.min(...firstAfter) - limitedAt).toBeGreaterThanOrEqual(2_500);
    expect(Math.min(...firstAfter) - sent).toBeLessThan(20_000);
  }, 60_000);
});
