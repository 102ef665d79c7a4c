/**
 * Relay throughput with Slack's per-channel pacing: 20 team channels, 10 new leads each arriving at
 * once, delivered through the real outbox and Slack SDK to a local fake of Slack at the production
 * gap of one post per second per channel. Prints the throughput and the gaps achieved per channel.
 *
 *   npm run bench:relay     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { performance } from 'node:perf_hooks';
import { FakeSlack } from '../support/fake-slack.js';
import { INTAKE_KEY, startTestLeadpool } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';

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
    members:
      - { name: Rep ${i}, slack: UR${i} }`,
).join('\n')}\n`;

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
    const res = await fetch(`${app.url}/api/leads/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ leads }),
    });
    if (res.status !== 200) throw new Error(`intake answered ${res.status}`);
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
  } finally {
    await app.stop();
    await fake.stop();
    await database.drop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
