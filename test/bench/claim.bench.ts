/**
 * Claim latency through the real Bolt HTTP receiver, on PostgreSQL and on the embedded database
 * (PGlite), each compared with the same workload done as raw conditional UPDATEs in the same run.
 *
 *   npm run bench:claim      (a throw-away PostgreSQL, or TEST_DATABASE_URL as an admin URL;
 *                             BENCH_DB=postgres or BENCH_DB=embedded runs one of them)
 *
 * The app runs as its own process, started with the real start command (src/main.ts), as it does
 * in production; this process plays Slack: it sends the signed clicks and serves the Web API.
 */
import type { ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { spawnApp } from '../support/app-process.js';
import { FakeSlack } from '../support/fake-slack.js';
import { repId, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, SIGNING_SECRET, signedForm } from '../support/slack-requests.js';
import { cpuNow, cpuSpent, printRow, type Stats, stats } from './bench-stats.js';
import { type BenchDatabase, onEachDatabase, outboxDrained, stopChild } from './bench-targets.js';
import { reportFigure } from './perf-figures.js';

interface App {
  url: string;
}

async function startApp(
  databaseUrl: string,
  slackApiUrl: string,
  env: Record<string, string>,
): Promise<{ app: App; child: ChildProcess }> {
  const { url, child } = await spawnApp({
    databaseUrl,
    teamsYaml: benchTeams,
    // A profile of the app, to find where a claim's time goes: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…".
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
    env: {
      DATABASE_POOL_SIZE: String(POOL),
      SLACK_BOT_TOKEN: 'xoxb-bench',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slackApiUrl,
      // This measures claims: 200 new cards are posted at once, not one a second (bench:relay measures pacing).
      SLACK_POST_GAP_MS: '0',
      ...env,
    },
  });
  return { app: { url }, child };
}

const CLICKS = 200;
const benchTeams = teamsYaml({ reps: CLICKS, dailyQuota: 1000, holdingCap: 1000 });

/** The median time of one chat.postMessage to the fake Slack, from this process. */
async function apiRoundTrip(fake: FakeSlack): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-bench' },
      body: JSON.stringify({ channel: 'UBENCHFLOOR', text: 'floor' }),
    });
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return stats(times, 0).p50;
}

const POOL = 20;

/** Sends one signed click per (rep, lead) pair at once; returns HTTP-answer and outcome latencies. */
async function clickBurst(app: App, fake: FakeSlack, pairs: [number, number][]) {
  fake.reset();
  const sent: number[] = [];
  // Signed before the clock starts: signing is Slack's work, not the app's.
  const bodies = pairs.map(([rep, leadId], i) => signedForm(claimClick(repId(rep), leadId, fake.responseUrl(`b${i}`))));
  const start = performance.now();
  const answers = await Promise.all(
    pairs.map(async (_, i) => {
      const body = bodies[i] as ReturnType<typeof signedForm>;
      sent[i] = performance.now();
      const res = await postSigned(`${app.url}/slack/events`, body);
      if (res.status !== 200) throw new Error(`click answered ${res.status}`);
      return performance.now() - (sent[i] ?? start);
    }),
  );
  const wall = performance.now() - start;
  // Outcome: the refusal (ephemeral) or the winner's DM, whichever this click produced.
  const outcomeAt = (rep: number) => {
    const user = repId(rep);
    return fake.calls.find(
      (c) =>
        (c.method === 'chat.postEphemeral' && c.body.user === user) ||
        (c.method === 'chat.postMessage' && c.body.channel === user),
    )?.at;
  };
  const deadline = Date.now() + 60_000;
  while (pairs.some(([rep]) => outcomeAt(rep) === undefined)) {
    if (Date.now() > deadline) throw new Error('outcomes did not all arrive within 60 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  const outcomes = pairs.map(([rep], i) => (outcomeAt(rep) ?? 0) - (sent[i] ?? start));
  const outcomeWall = Math.max(...pairs.map(([rep]) => outcomeAt(rep) ?? 0)) - start;
  // The winners' cards, replaced through their clicks' own response URLs.
  const cardAt = pairs.map((_, i) => {
    const call = fake.calls.find((c) => c.method === `respond:/respond/b${i}` && c.body.replace_original === true);
    return call ? call.at - (sent[i] ?? start) : undefined;
  });
  const replaced = cardAt.filter((at): at is number => at !== undefined);
  // The soonest each winner's DM could arrive: its claim was done when its card changed, and one
  // API call more sends it. Slack paces posts per conversation; each winner's DM is its own, so no
  // documented limit holds any of them back.
  const apiCall = await apiRoundTrip(fake);
  const dmFloor = cardAt.flatMap((at) => (at === undefined ? [] : [at + apiCall]));
  return {
    http: stats(answers, wall),
    outcome: stats(outcomes, outcomeWall),
    card: replaced.length > 0 ? stats(replaced, Math.max(...replaced)) : null,
    winners: replaced.length,
    dmFloor: dmFloor.length === pairs.length ? stats(dmFloor, Math.max(...dmFloor)) : null,
  };
}

/**
 * Acknowledgement times of clicks sent as Slack sends them: each on a connection of its own (Slack's
 * senders do not share one), and `replays` of them sent again byte for byte with Slack's retry
 * headers, all at once. bench's own client reuses kept-alive connections.
 */
async function acksAsSlackSends(app: App, fake: FakeSlack, leadId: number, clicks: number, replays: number) {
  fake.reset();
  const posts = Array.from({ length: clicks }, (_, i) =>
    signedForm(claimClick(repId(i), leadId, fake.responseUrl(`s${i}`))),
  );
  const sends = [
    ...posts.map((post) => ({ post, retry: false })),
    ...posts.slice(0, replays).map((post) => ({ post, retry: true })),
  ];
  const url = new URL(`${app.url}/slack/events`);
  const start = performance.now();
  const latencies = await Promise.all(
    sends.map(
      ({ post, retry }) =>
        new Promise<number>((resolve, reject) => {
          const t0 = performance.now();
          const req = httpRequest(
            {
              host: url.hostname,
              port: url.port,
              path: url.pathname,
              method: 'POST',
              agent: false,
              headers: {
                ...post.headers,
                connection: 'close',
                'content-length': Buffer.byteLength(post.body),
                ...(retry ? { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } : {}),
              },
            },
            (res) => {
              res.resume();
              res.on('end', () =>
                res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`ack ${res.statusCode}`)),
              );
            },
          );
          req.on('error', reject);
          req.end(post.body);
        }),
    ),
  );
  const acks = stats(latencies, performance.now() - start);
  // Each click's outcome is in before the next burst: its work runs after the acknowledgements.
  const answered = (rep: number) =>
    fake.calls.some(
      (c) =>
        (c.method === 'chat.postEphemeral' && c.body.user === repId(rep)) ||
        (c.method === 'chat.postMessage' && c.body.channel === repId(rep)),
    );
  const deadline = Date.now() + 60_000;
  while (!Array.from({ length: clicks }, (_, i) => answered(i)).every(Boolean)) {
    if (Date.now() > deadline) throw new Error('the clicks sent as Slack sends were not all answered within 60 s');
    await new Promise((r) => setTimeout(r, 5));
  }
  return acks;
}

/** The benchmark on one database: the app started on it, and the raw UPDATEs done on it. */
async function benchOn(target: BenchDatabase, fake: FakeSlack): Promise<void> {
  const { app, child } = await startApp(target.databaseUrl, fake.apiUrl, target.appEnv);
  try {
    await measure(target, app, child, fake);
  } finally {
    await stopChild(child);
  }
}

async function measure(target: BenchDatabase, app: App, child: ChildProcess, fake: FakeSlack): Promise<void> {
  // 60 clicks on one lead on the embedded database: a small team's morning, on the zero-setup default.
  const oneLeadClicks = target.databaseUrl ? CLICKS : 60;
  const createLeads = (count: number) => target.createLeads(app.url, count);
  console.log(`\n=== ${target.name} ===`);
  // Warm up as a running bot is: JIT, Bolt's auth.test, and a burst's worth of open connections
  // (the first burst of a fresh process opens its sockets and compiles its paths; it measured 3-5x slower).
  const [warmOne] = await createLeads(1);
  await clickBurst(
    app,
    fake,
    Array.from({ length: oneLeadClicks }, (_, i) => [i, warmOne ?? 0]),
  );
  const warm = await createLeads(CLICKS);
  await clickBurst(
    app,
    fake,
    warm.map((id, i) => [i, id]),
  );

  const [oneLead] = await createLeads(1);
  await outboxDrained(app.url);
  const same = await clickBurst(
    app,
    fake,
    Array.from({ length: oneLeadClicks }, (_, i) => [i, oneLead ?? 0]),
  );

  const [slackOne] = await createLeads(1);
  await outboxDrained(app.url);
  const asSlack = await acksAsSlackSends(app, fake, slackOne ?? 0, oneLeadClicks, 50);
  await outboxDrained(app.url);

  const many = await createLeads(CLICKS);
  await target.settle();
  // The earlier bursts' cards and desks are all out, so this burst's figures are its own.
  await outboxDrained(app.url);
  await target.statements?.reset();
  const cpuBefore = cpuNow(child.pid);
  const spread = await clickBurst(
    app,
    fake,
    many.map((id, i) => [i, id]),
  );
  await outboxDrained(app.url);
  const statements = await target.statements?.read();
  const cpuAfter = cpuNow(child.pid);

  const rawClaims = await target.rawClaims('slack', oneLeadClicks, CLICKS);
  const row = printRow;
  for (const [title, bolt, raw] of [
    [`${oneLeadClicks} clicks on one lead (cards replaced by a winner: ${same.winners})`, same, rawClaims.same],
    [`${CLICKS} clicks on ${CLICKS} different leads`, spread, rawClaims.spread],
  ] as const) {
    console.log(`\n${title}`);
    // What a person sees comes first: their card changing, and the answer to their click.
    if (bolt.card) row("winner's card replaced (response URL)", bolt.card);
    row('outcome (ephemeral or claim DM)', bolt.outcome);
    if (bolt.dmFloor) row('claim DM floor (claim + 1 API call)', bolt.dmFloor);
    row('raw conditional UPDATE', raw);
    row('HTTP answer (Bolt ack)', bolt.http);
    const ratio = (name: string, s: Stats, withBurst = false) =>
      console.log(
        `  ratio ${name.padEnd(28)} p50 ${(s.p50 / raw.p50).toFixed(2)}x  p99 ${(s.p99 / raw.p99).toFixed(2)}x${withBurst ? `  burst ${(s.wall / raw.wall).toFixed(2)}x` : ''}`,
      );
    if (bolt.card) ratio("winner's card / raw UPDATE:", bolt.card);
    ratio('outcome / raw UPDATE:', bolt.outcome, true);
    if (bolt.dmFloor)
      console.log(
        `  ratio claim DM / its floor:        p50 ${(bolt.outcome.p50 / bolt.dmFloor.p50).toFixed(2)}x  p99 ${(bolt.outcome.p99 / bolt.dmFloor.p99).toFixed(2)}x`,
      );
    ratio('HTTP answer / raw UPDATE:', bolt.http);
    if (bolt === same) {
      row(`HTTP answer, as Slack sends (+50 replays)`, asSlack);
      ratio('as Slack sends / raw UPDATE:', asSlack);
    }
  }
  const shortName = target.databaseUrl ? 'PostgreSQL' : 'embedded (PGlite)';
  const figure = (what: string, value: number, baseline: string, base: number) =>
    reportFigure({
      bench: 'bench:claim (Slack)',
      database: shortName,
      what,
      value,
      unit: 'ms',
      baseline: { what: baseline, value: base },
    });
  figure(`${oneLeadClicks} clicks on one lead: outcome, p99`, same.outcome.p99, 'raw UPDATE', rawClaims.same.p99);
  figure(`the same, sent as Slack sends: acknowledgement, p99`, asSlack.p99, 'raw UPDATE', rawClaims.same.p99);
  if (spread.card)
    figure(
      `${CLICKS} claims of ${CLICKS} leads: winner's card, p99`,
      spread.card.p99,
      'raw UPDATE',
      rawClaims.spread.p99,
    );
  if (spread.dmFloor) figure(`${CLICKS} claims: claim DM, p99`, spread.outcome.p99, 'its floor', spread.dmFloor.p99);
  if (cpuBefore && cpuAfter) {
    const spent = cpuSpent(cpuBefore, cpuAfter);
    const per = (k: keyof typeof spent) => (spent[k] / CLICKS).toFixed(1);
    console.log(
      `\nCPU per claim, click to last message (${cpus().length} cores shared): app ${per('app')} ms, PostgreSQL ${per('postgres')} ms, this process (Slack's side) ${per('bench')} ms`,
    );
  }
  if (statements) {
    // Where a claim's queries go, from the click to its last message: the card, the DM, the desk.
    console.log(`\nstatements per claim, click to last message: ${(statements.calls / CLICKS).toFixed(1)}`);
    if (process.env.BENCH_STATEMENTS)
      for (const s of statements.top)
        console.log(`  ${String(s.calls).padStart(6)} × ${s.meanMs.toFixed(2).padStart(6)} ms  ${s.query}`);
  }
}

async function main(): Promise<void> {
  const fake = new FakeSlack();
  await fake.start();
  console.log(`Leadpool claim benchmark: app in its own process, Node ${process.version}`);
  try {
    await onEachDatabase(benchTeams, POOL, (target) => benchOn(target, fake));
  } finally {
    await fake.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
