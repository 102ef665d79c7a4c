/**
 * Lark card-click answer latency: 200 concurrent clicks on one lead (and on 200 leads) sent as
 * Lark sends them (encrypted, signed HTTP callbacks), through the real SDK dispatcher, against
 * PostgreSQL, compared with the same workload done as raw conditional UPDATEs in the same run.
 * The click's answer carries its outcome (a toast, and the updated card for the winner).
 *
 *   npm run bench:lark       (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { spawnApp } from '../support/app-process.js';
import { FakeLark } from '../support/fake-lark.js';
import { cardClick, postLarkCallback } from '../support/lark-requests.js';
import { LARK_APP, LARK_CHAT, larkRepId, teamsYaml } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { createLeads, ms, rawBurst, repMemberIds, type Stats, stats } from './bench-stats.js';

const CLICKS = 200;
const POOL = 20;

async function startApp(databaseUrl: string, larkUrl: string): Promise<{ url: string; child: ChildProcess }> {
  return spawnApp({
    databaseUrl,
    teamsYaml: teamsYaml({ reps: CLICKS, dailyQuota: 1000, holdingCap: 1000, lark: true }),
    env: {
      DATABASE_POOL_SIZE: String(POOL),
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

async function main(): Promise<void> {
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_bench_lark');
  const fake = new FakeLark();
  await fake.start();
  const { url, child } = await startApp(database.url, fake.url);
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  const pool = new pg.Pool({ connectionString: database.url, max: POOL });
  try {
    console.log(
      `Leadpool Lark card-click benchmark: ${CLICKS} clicks per burst, app in its own process, DB pool ${POOL}, Node ${process.version}`,
    );
    const warm = await createLeads(db, 20);
    await clickBurst(
      url,
      warm.map((id, i) => [i, id]),
    );

    const [oneLead] = await createLeads(db, 1);
    const same = await clickBurst(
      url,
      Array.from({ length: CLICKS }, (_, i) => [i, oneLead ?? 0]),
    );
    const many = await createLeads(db, CLICKS);
    const spread = await clickBurst(
      url,
      many.map((id, i) => [i, id]),
    );

    const members = await repMemberIds(db, 'lark');
    const [rawOne] = await createLeads(db, 1);
    const rawSame = await rawBurst(
      pool,
      members.slice(0, CLICKS).map((m) => [m, rawOne ?? 0]),
    );
    const rawMany = await createLeads(db, CLICKS);
    const rawSpread = await rawBurst(
      pool,
      members.slice(0, CLICKS).map((m, i) => [m, rawMany[i] ?? 0]),
    );

    const row = (name: string, s: Stats) =>
      console.log(`  ${name.padEnd(34)} p50 ${ms(s.p50)}  p99 ${ms(s.p99)}  max ${ms(s.max)}  burst ${ms(s.wall)}`);
    for (const [title, click, raw] of [
      [`${CLICKS} clicks on one lead`, same, rawSame],
      [`${CLICKS} clicks on ${CLICKS} different leads`, spread, rawSpread],
    ] as const) {
      console.log(`\n${title}: ${click.won} won, ${click.refused} refused with a reason, ${click.other} other`);
      row('click answer (toast + card)', click.stats);
      row('raw conditional UPDATE', raw);
      console.log(
        `  ratio click answer / raw UPDATE:   p50 ${(click.stats.p50 / raw.p50).toFixed(2)}x  p99 ${(click.stats.p99 / raw.p99).toFixed(2)}x  burst ${(click.stats.wall / raw.wall).toFixed(2)}x`,
      );
    }
  } finally {
    await pool.end();
    await db.end();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await fake.stop();
    await database.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
