/**
 * Intake benchmark on PostgreSQL holding 1,000,000 generated leads:
 *  1. single-lead POST /api/leads through the app (its own process, real start command), half of
 *     them duplicates of stored leads, 32 clients at once;
 *  2. the batch API, 500 leads a request;
 *  3. the X Education CSV import (9,240 rows) and a 10× copy of it, with peak memory, to show that
 *     memory does not grow with the file.
 *
 *   npm run bench:intake     (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL; needs --expose-gc)
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdtempSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { loadTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { loadMapping } from '../../src/importer/column-mapping.js';
import { importCsv } from '../../src/importer/import-csv.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { spawnApp } from '../support/app-process.js';
import { INTAKE_KEY, teamsYaml } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { cpuNow, cpuSpent, statementCounter } from './bench-stats.js';
import { reportFigure } from './perf-figures.js';

const EXISTING = Number(process.env.BENCH_EXISTING_LEADS ?? 1_000_000);
const SINGLE_REQUESTS = 4000;
const SUSTAINED_REQUESTS = 16_000;
const CLIENTS = 32;
const BATCHES = 40;
const BATCH_SIZE = 500;
const XEDU = resolve('../shared/data/x-education-leads.csv');

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rate = (n: number, wallMs: number) => Math.round(n / (wallMs / 1000)).toLocaleString('en-US');

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function startApp(databaseUrl: string) {
  return spawnApp({
    databaseUrl,
    teamsYaml: teamsYaml({ reps: 3 }),
    env: { DATABASE_POOL_SIZE: '20' },
    // A profile of the app: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=…".
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [],
  });
}

const existingPhone = (g: number) => `+8613${String(g).padStart(9, '0')}`;

async function generateLeads(db: pg.Pool): Promise<void> {
  const chunk = 100_000;
  const started = performance.now();
  for (let from = 1; from <= EXISTING; from += chunk) {
    const to = Math.min(EXISTING, from + chunk - 1);
    await db.query(
      `INSERT INTO lead (team_id, name, email, phone, name_key, company, company_key, fingerprint, status, created_at, updated_at)
       SELECT 'alpha', 'Gen ' || g, 'gen' || g || '@bench.example', '+8613' || lpad(g::text, 9, '0'), 'gen' || g,
              'Company ' || (g % 50000), 'company' || (g % 50000), md5(g::text), 'pooled', now(), now()
         FROM generate_series($1::int, $2::int) g`,
      [from, to],
    );
    process.stderr.write(`\r  generating leads: ${to.toLocaleString('en-US')} / ${EXISTING.toLocaleString('en-US')}`);
  }
  await db.query('ANALYZE lead');
  process.stderr.write('\n');
  console.log(
    `  generated ${EXISTING.toLocaleString('en-US')} leads in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

let newSeq = 0;
function incomingLead(duplicate: boolean): Record<string, unknown> {
  if (duplicate) {
    const g = 1 + Math.floor(Math.random() * EXISTING);
    return { team: 'alpha', name: `Returning ${g}`, phone: `+86 ${existingPhone(g).slice(3)}`, source: 'website' };
  }
  const n = ++newSeq;
  return {
    team: 'alpha',
    name: `New Person ${n}`,
    company: `New Company ${n % 997}`,
    phone: `+86 139 ${String(n).padStart(8, '0')}`,
    email: `new${n}@intake.example`,
    source: 'referral',
    need: 'Looking for a CRM for a growing sales team',
    signals: { visits: n % 7 },
  };
}

// The clients share this machine's two cores with the app and PostgreSQL; in production they are
// elsewhere. Plain HTTP on kept-alive connections costs them a fraction of what fetch does.
const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });

function post(url: string, path: string, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  const target = new URL(`${url}${path}`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${INTAKE_KEY}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status === 200 || status === 201) resolve(status);
          else reject(new Error(`${path} answered ${status}`));
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function singleThroughput(url: string, requests: number, label: string): Promise<number> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < requests) {
        const i = next++;
        const t0 = performance.now();
        await post(url, '/api/leads', incomingLead(i % 2 === 1));
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const wall = performance.now() - started;
  console.log(
    `  single POST /api/leads${label}: ${requests} leads (half duplicates) by ${CLIENTS} clients in ${(wall / 1000).toFixed(2)} s = ${rate(requests, wall)} leads/s; latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}`,
  );
  return (requests * 1000) / wall;
}

/**
 * The baseline of the same run: PostgreSQL alone storing as many new leads (the same fields, no
 * matching, no audit row, no card), `perStatement` to an INSERT, from `clients` connections at once.
 */
async function rawInserts(databaseUrl: string, leads: number, clients: number, perStatement: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: clients });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < leads) {
        const from = next;
        next += perStatement;
        const rows = Array.from({ length: Math.min(perStatement, leads - from) }, () => incomingLead(false));
        await pool.query(
          `INSERT INTO lead (team_id, name, company, phone, email, source, need, name_key, fingerprint, created_at, updated_at)
           SELECT 'alpha', x.name, x.company, x.phone, x.email, x.source, x.need, lower(x.name), md5(x.name), now(), now()
             FROM json_to_recordset($1::json) AS x(name text, company text, phone text, email text, source text, need text)`,
          [JSON.stringify(rows)],
        );
      }
    }),
  );
  const wall = performance.now() - started;
  await pool.end();
  return (leads * 1000) / wall;
}

async function batchThroughput(url: string): Promise<number> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 2 }, async () => {
      while (next < BATCHES) {
        next++;
        const leads = Array.from({ length: BATCH_SIZE }, (_, i) => incomingLead(i % 2 === 1));
        const t0 = performance.now();
        await post(url, '/api/leads/batch', { leads });
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const wall = performance.now() - started;
  const total = BATCHES * BATCH_SIZE;
  console.log(
    `  batch POST /api/leads/batch: ${total} leads in ${BATCHES} requests of ${BATCH_SIZE}, 2 clients, in ${(wall / 1000).toFixed(2)} s = ${rate(total, wall)} leads/s; per request p50 ${ms(percentile(latencies, 50))}`,
  );
  return (total * 1000) / wall;
}

/** The export repeated `times` times with fresh prospect ids: the same rows, a bigger file. */
async function multiplied(file: string, times: number): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'leadpool-bench-csv-')), `x-education-x${times}.csv`);
  const stream = createWriteStream(out);
  for (let copy = 0; copy < times; copy++) {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    for await (const line of lines) {
      if (first) {
        first = false;
        if (copy === 0) stream.write(`${line}\n`);
        continue;
      }
      const comma = line.indexOf(',');
      const commaTwo = line.indexOf(',', comma + 1);
      // New prospect id and lead number per copy, so each copy is new leads, not duplicates.
      stream.write(
        `${line.slice(0, comma)}-${copy},${line.slice(comma + 1, commaTwo)}${copy},${line.slice(commaTwo + 1)}\n`,
      );
    }
  }
  await new Promise((r) => stream.end(r));
  return out;
}

async function importRun(databaseUrl: string, file: string, label: string): Promise<void> {
  const config = loadTeamsConfig(resolve('src/config/teams.example.yaml'));
  const db = await openDatabase({ url: databaseUrl, dataDir: '', poolSize: 4 });
  await syncTeams(db.prisma, config, systemClock.now());
  // Live heap = heap used right after a full collection: what the import holds, not garbage timing.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc (npm run bench:intake does)');
  gc();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    gc();
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const summary = await importCsv(
    {
      store: new PrismaLeadStore(db.prisma),
      teams: teamDirectory(config.teams),
      sources: config.sources,
      clock: systemClock,
    },
    {
      file,
      mapping: loadMapping(resolve('src/config/import/x-education.mapping.yaml')),
      errorsPath: join(tmpdir(), `bench-${randomUUID()}.csv`),
      onProgress: sample,
    },
  );
  const wall = performance.now() - started;
  clearInterval(timer);
  sample();
  await db.close();
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
  console.log(
    `  import ${label}: ${summary.rows.toLocaleString('en-US')} rows (${summary.created.toLocaleString('en-US')} new, ${summary.rejected} rejected) in ${(wall / 1000).toFixed(2)} s = ${rate(summary.rows, wall)} rows/s; live heap ${mb(base.heapUsed)} before, peak ${mb(peakHeap)} (+${mb(peakHeap - base.heapUsed)}); RSS peak ${mb(peakRss)}`,
  );
}

async function main(): Promise<void> {
  const server = await startPostgres({ statements: true });
  const database = await createDatabase(server.adminUrl, 'lp_bench');
  const databaseUrl = database.url;
  const { url: appUrl, child } = await startApp(databaseUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    console.log(`Leadpool intake benchmark: PostgreSQL, app in its own process (DB pool 20), Node ${process.version}`);
    await generateLeads(pool);
    // Warm-up: connections, JIT, prepared statements.
    for (let i = 0; i < 50; i++) await post(appUrl, '/api/leads', incomingLead(i % 2 === 1));
    await singleThroughput(appUrl, SINGLE_REQUESTS, ', right after start');
    // The first seconds include JIT warm-up and cold caches; a longer run shows the sustained rate.
    const counter = await statementCounter(pool);
    await counter?.reset();
    const cpuBefore = cpuNow(child.pid);
    const sustained = await singleThroughput(appUrl, SUSTAINED_REQUESTS, ', sustained');
    const cpuAfter = cpuNow(child.pid);
    if (cpuBefore && cpuAfter) {
      const spent = cpuSpent(cpuBefore, cpuAfter);
      const per = (k: keyof typeof spent) => ((spent[k] / SUSTAINED_REQUESTS) * 1000).toFixed(0);
      console.log(
        `    CPU per lead (${cpus().length} cores shared): app ${per('app')} µs, PostgreSQL ${per('postgres')} µs, the clients ${per('bench')} µs`,
      );
    }
    const statements = await counter?.read();
    if (statements) {
      console.log(`    statements per lead: ${(statements.calls / SUSTAINED_REQUESTS).toFixed(2)}`);
      if (process.env.BENCH_STATEMENTS)
        for (const s of statements.top)
          console.log(`    ${String(s.calls).padStart(6)} × ${s.meanMs.toFixed(2).padStart(6)} ms  ${s.query}`);
    }
    const batch = await batchThroughput(appUrl);
    const rawSingle = await rawInserts(databaseUrl, SUSTAINED_REQUESTS, CLIENTS, 1);
    const rawBatch = await rawInserts(databaseUrl, BATCHES * BATCH_SIZE, 2, BATCH_SIZE);
    console.log(
      `  baseline, PostgreSQL alone: one lead per INSERT by ${CLIENTS} clients ${Math.round(rawSingle).toLocaleString('en-US')} leads/s; ${BATCH_SIZE} per INSERT by 2 clients ${Math.round(rawBatch).toLocaleString('en-US')} leads/s`,
    );
    const figure = (what: string, value: number, baseline: string, base: number) =>
      reportFigure({
        bench: 'bench:intake (1 M stored)',
        database: 'PostgreSQL',
        what,
        value,
        unit: 'leads/s',
        baseline: { what: baseline, value: base },
      });
    figure('single POST, sustained', sustained, 'raw INSERT, one a statement', rawSingle);
    figure(`batch POST of ${BATCH_SIZE}`, batch, `raw INSERT, ${BATCH_SIZE} a statement`, rawBatch);
    if (existsSync(XEDU)) {
      await importRun(databaseUrl, XEDU, 'X Education (9,240 rows)');
      await importRun(databaseUrl, await multiplied(XEDU, 10), 'X Education ×10 (92,400 rows)');
    } else console.log('  import: ../shared/data is absent, the import figures were not measured');
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM lead');
    console.log(`  leads in the database at the end: ${Number(rows[0]?.n).toLocaleString('en-US')}`);
  } finally {
    await pool.end();
    agent.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await database.drop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
