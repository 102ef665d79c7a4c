/**
 * Lark card-click answer latency: concurrent clicks on one lead (200 on PostgreSQL, 60 on the
 * embedded database) and 200 clicks on 200 leads, sent as Lark sends them (encrypted, signed HTTP
 * callbacks), through the real SDK dispatcher, on PostgreSQL and on the embedded database, each
 * compared with the same workload done as raw conditional UPDATEs in the same run. The click's
 * answer carries its outcome (a toast, and the updated card for the winner).
 *
 *   npm run bench:lark       (a throw-away PostgreSQL, or TEST_DATABASE_URL as an admin URL;
 *                             BENCH_DB=postgres or BENCH_DB=embedded runs one of them)
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { spawnApp } from '../support/app-process.js';
import { FakeLark } from '../support/fake-lark.js';
import { cardClick, postLarkCallback } from '../support/lark-requests.js';
import { LARK_APP, LARK_CHAT, larkRepId, teamsYaml } from '../support/leadpool.js';
import { printRow, stats } from './bench-stats.js';
import { type BenchDatabase, onEachDatabase, outboxDrained, stopChild } from './bench-targets.js';
import { reportFigure } from './perf-figures.js';

const CLICKS = 200;
const POOL = 20;

const benchTeams = teamsYaml({ reps: CLICKS, dailyQuota: 1000, holdingCap: 1000, lark: true });

async function startApp(target: BenchDatabase, larkUrl: string): Promise<{ url: string; child: ChildProcess }> {
  return spawnApp({
    databaseUrl: target.databaseUrl,
    teamsYaml: benchTeams,
    env: {
      ...target.appEnv,
      LARK_APP_ID: LARK_APP.id,
      LARK_APP_SECRET: LARK_APP.secret,
      LARK_TRANSPORT: 'http',
      LARK_VERIFICATION_TOKEN: LARK_APP.token,
      LARK_ENCRYPT_KEY: LARK_APP.key,
      LARK_DOMAIN: larkUrl,
    },
  });
}

/** One click per (rep, lead) pair, all at once; returns answer latencies and how the clicks ended. */
async function clickBurst(url: string, pairs: [number, number][]) {
  const start = performance.now();
  const results = await Promise.all(
    pairs.map(async ([rep, leadId]) => {
      const click = cardClick({
        openId: larkRepId(rep),
        value: { action: 'lead.claim', lead: String(leadId) },
        chatId: LARK_CHAT,
      });
      const t0 = performance.now();
      const answer = await postLarkCallback(url, click);
      if (answer.status !== 200) throw new Error(`click answered ${answer.status}`);
      return { ms: performance.now() - t0, toast: (answer.body.toast as { type: string }).type };
    }),
  );
  const wall = performance.now() - start;
  const count = (type: string) => results.filter((r) => r.toast === type).length;
  return {
    stats: stats(
      results.map((r) => r.ms),
      wall,
    ),
    won: count('success'),
    refused: count('warning'),
    other: results.length - count('success') - count('warning'),
  };
}

async function benchOn(target: BenchDatabase, fake: FakeLark): Promise<void> {
  const { url, child } = await startApp(target, fake.url);
  // 60 clicks on one lead on the embedded database: a small team's morning, on the zero-setup default.
  const oneLeadClicks = target.databaseUrl ? CLICKS : 60;
  try {
    console.log(`\n=== ${target.name} ===`);
    const warm = await target.createLeads(url, 20);
    await clickBurst(
      url,
      warm.map((id, i) => [i, id]),
    );

    const [oneLead] = await target.createLeads(url, 1);
    const same = await clickBurst(
      url,
      Array.from({ length: oneLeadClicks }, (_, i) => [i, oneLead ?? 0]),
    );
    const many = await target.createLeads(url, CLICKS);
    await target.settle();
    await outboxDrained(url);
    const spread = await clickBurst(
      url,
      many.map((id, i) => [i, id]),
    );

    const raw = await target.rawClaims('lark', oneLeadClicks, CLICKS);
    const row = printRow;
    for (const [title, click, rawBurst] of [
      [`${oneLeadClicks} clicks on one lead`, same, raw.same],
      [`${CLICKS} clicks on ${CLICKS} different leads`, spread, raw.spread],
    ] as const) {
      console.log(`\n${title}: ${click.won} won, ${click.refused} refused with a reason, ${click.other} other`);
      row('click answer (toast + card)', click.stats);
      row('raw conditional UPDATE', rawBurst);
      console.log(
        `  ratio click answer / raw UPDATE:   p50 ${(click.stats.p50 / rawBurst.p50).toFixed(2)}x  p99 ${(click.stats.p99 / rawBurst.p99).toFixed(2)}x  burst ${(click.stats.wall / rawBurst.wall).toFixed(2)}x`,
      );
    }
    const database = target.databaseUrl ? 'PostgreSQL' : 'embedded (PGlite)';
    for (const [what, click, baseline] of [
      [`${oneLeadClicks} clicks on one lead: answer (toast + card), p99`, same, raw.same],
      [`${CLICKS} claims of ${CLICKS} leads: answer (toast + card), p99`, spread, raw.spread],
    ] as const)
      reportFigure({
        bench: 'bench:lark',
        database,
        what,
        value: click.stats.p99,
        unit: 'ms',
        baseline: { what: 'raw UPDATE', value: baseline.p99 },
      });
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  const fake = new FakeLark();
  await fake.start();
  console.log(`Leadpool Lark card-click benchmark: app in its own process, Node ${process.version}`);
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
