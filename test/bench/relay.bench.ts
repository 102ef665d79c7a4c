/**
 * Relay throughput with Slack's per-channel pacing: 20 team channels, 10 new leads each arriving at
 * once (a card per lead), delivered through the real outbox and Slack SDK to a local fake of Slack at
 * the production gap of one post per second per channel. Prints the throughput and the gaps achieved
 * per channel. Then a 1,000-lead burst into one channel with summary cards on: how many posts, and
 * how long until every lead is in the channel, against a card per lead at one a second.
 *
 *   npm run bench:relay     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { performance } from 'node:perf_hooks';
import { FakeSlack } from '../support/fake-slack.js';
import { INTAKE_KEY, startTestLeadpool } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { reportFigure } from './perf-figures.js';

const CHANNELS = 20;
const PER_CHANNEL = 10;
const GAP_MS = 1_000;
const channel = (i: number) => `C${String(i).padStart(8, '0')}`;
const teams = `teams:\n${Array.from(
  { length: CHANNELS },
  (_, i) => `  - id: t${i}
    name: Team ${i}
    timezone: UTC
    slack: { channel: ${channel(i)} }
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 1h }
    cardBurst: off
    members:
      - { name: Rep ${i}, slack: UR${i} }`,
).join('\n')}\n`;

async function postBatch(url: string, leads: unknown[]): Promise<void> {
  const res = await fetch(`${url}/api/leads/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ leads }),
  });
  if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_relay');
  const fake = new FakeSlack();
  await fake.start();
  const app = await startTestLeadpool({
    databaseUrl: database.url,
    slackApiUrl: fake.apiUrl,
    teams,
    slackPostGapMs: GAP_MS,
  });
  try {
    console.log(
      `Leadpool relay benchmark: ${CHANNELS} channels × ${PER_CHANNEL} new leads, ${GAP_MS} ms gap, Node ${process.version}`,
    );
    const leads = Array.from({ length: CHANNELS * PER_CHANNEL }, (_, n) => ({
      team: `t${n % CHANNELS}`,
      name: `Person ${n}`,
      company: `Company ${n}`,
    }));
    const t0 = performance.now();
    await postBatch(app.url, leads);
    const posts = () => fake.of('chat.postMessage');
    while (posts().length < leads.length) {
      if (performance.now() - t0 > 120_000) throw new Error(`only ${posts().length} posts after 120 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const total = performance.now() - t0;
    const gaps: number[] = [];
    const spans: number[] = [];
    for (let i = 0; i < CHANNELS; i++) {
      const times = posts()
        .filter((c) => c.body.channel === channel(i))
        .map((c) => c.at)
        .sort((a, b) => a - b);
      for (let k = 1; k < times.length; k++) gaps.push((times[k] ?? 0) - (times[k - 1] ?? 0));
      spans.push((times.at(-1) ?? 0) - (times[0] ?? 0));
    }
    gaps.sort((a, b) => a - b);
    const pct = (p: number) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))] ?? 0;
    console.log(
      `${leads.length} cards in ${(total / 1000).toFixed(2)} s: ${(leads.length / (total / 1000)).toFixed(1)} posts/s over ${CHANNELS} channels`,
    );
    console.log(
      `gap between posts in one channel: min ${pct(0).toFixed(0)} ms, p50 ${pct(0.5).toFixed(0)} ms, p90 ${pct(0.9).toFixed(0)} ms (target ≥ ${GAP_MS} ms); ` +
        `per-channel rate ${((PER_CHANNEL - 1) / (Math.max(...spans) / 1000)).toFixed(2)} posts/s at the slowest channel`,
    );
    reportFigure({
      bench: 'bench:relay (Slack)',
      database: 'PostgreSQL',
      what: `${CHANNELS} channels × ${PER_CHANNEL} cards: gap between one channel's posts, p50`,
      value: pct(0.5),
      unit: 'ms',
      baseline: { what: 'the pace it keeps', value: GAP_MS },
    });
    await burst(server.adminUrl, fake);
  } finally {
    await app.stop();
    await fake.stop();
    await database.drop();
    await server.stop();
  }
}

const BURST_LEADS = 1_000;
const BURST_WINDOW = '5s';

async function burst(adminUrl: string, fake: FakeSlack): Promise<void> {
  const database = await createDatabase(adminUrl, 'lp_bench_burst');
  const teams = `teams:
  - id: burst
    name: Burst
    timezone: UTC
    slack: { channel: CBURST000 }
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 4h, remindBefore: 1h }
    cardBurst: { after: 5, within: ${BURST_WINDOW} }
    members:
      - { name: Rep, slack: URBURST }
`;
  const app = await startTestLeadpool({
    databaseUrl: database.url,
    slackApiUrl: fake.apiUrl,
    teams,
    slackPostGapMs: GAP_MS,
  });
  try {
    const leads = Array.from({ length: BURST_LEADS }, (_, n) => ({ team: 'burst', name: `Burst ${n}` }));
    const t0 = performance.now();
    for (let i = 0; i < leads.length; i += 500) await postBatch(app.url, leads.slice(i, i + 500));
    const shown = () =>
      fake.to('chat.postMessage', 'CBURST000').reduce((n, c) => {
        const metadata = (typeof c.body.metadata === 'string' ? JSON.parse(c.body.metadata) : c.body.metadata) as {
          event_payload?: { lead?: number; leads?: string };
        };
        const payload = metadata?.event_payload;
        return n + (payload?.leads ? payload.leads.split(',').length : payload?.lead ? 1 : 0);
      }, 0);
    while (shown() < BURST_LEADS) {
      if (performance.now() - t0 > 180_000) throw new Error(`only ${shown()} leads shown after 180 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    const posts = fake.to('chat.postMessage', 'CBURST000').length;
    console.log(
      `${BURST_LEADS}-lead burst into one channel, summaries after 5 a ${BURST_WINDOW} window: every lead shown in ` +
        `${seconds.toFixed(1)} s with ${posts} posts (${(BURST_LEADS / posts).toFixed(1)} leads a post); ` +
        `a card per lead at one a second would take about ${BURST_LEADS} s (${(BURST_LEADS / seconds).toFixed(0)}× longer)`,
    );
  } finally {
    await app.stop();
    await database.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
