/**
 * The playground in a real browser (Debian's Chromium):
 *  1. `npm start` with nothing configured, on a new data folder (a fresh clone's first start: the
 *     embedded database is created and migrated): the time to the log's playground line, to the
 *     page drawn, and to the first lead's card shown in the open page after it is posted.
 *  2. 20 people, each in their own page, click Claim on the same lead at once, 10 rounds: in each
 *     page, the time from its click to the page showing the answer and the card as it now is
 *     (the winner's own redraw, or the refusal and the live update), and to its answer alone; and
 *     the same clicks' HTTP round trips alone, the floor the page's figures are compared with.
 *
 *   npm run bench:playground
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium } from '../support/browser.js';
import { INTAKE_KEY } from '../support/leadpool.js';
import { freePort } from '../support/postgres-server.js';
import { ms, percentile } from './bench-stats.js';
import { reportFigure } from './perf-figures.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const person = (i: number) => `slack-UP${String(i).padStart(4, '0')}`;

function teamsYaml(): string {
  const members = Array.from(
    { length: PEOPLE },
    (_, i) => `      - { name: Rep ${i}, slack: UP${String(i).padStart(4, '0')} }`,
  );
  return `teams:
  - id: alpha
    name: Alpha
    timezone: Asia/Shanghai
    claim: { dailyQuota: 100, holdingCap: 100, cooldown: 1h }
    sla: { followUp: 2d, remindBefore: 2h }
    cardBurst: off
    members:
${members.join('\n')}
`;
}

/** `npm start` as a person types it, in a folder of its own for the data; resolves on the playground line. */
async function npmStart(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; ready: number }> {
  const started = performance.now();
  const child = spawn('npm', ['start'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /playground at (http:\/\/localhost:\d+)\//.exec(output);
      if (found?.[1]) resolve({ child, url: found[1], ready: performance.now() - started });
    };
    child.stdout?.on('data', look);
    child.stderr?.on('data', look);
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output.slice(-2000)}`)));
  });
}

const stop = (child: ChildProcess) => {
  if (child.pid) process.kill(-child.pid, 'SIGTERM');
};

async function postLead(url: string, name: string, team = 'alpha'): Promise<number> {
  const response = await fetch(`${url}/api/leads`, {
    // The example teams file's inbound team needs a phone or an e-mail; every lead here has one.
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ team, name, email: `${name.replace(/\W/g, '').toLowerCase()}@bench.example` }),
  });
  return ((await response.json()) as { id: number }).id;
}

async function openAs(browser: Browser, url: string, as: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  page.on('crash', () => console.error(`the page of ${as} crashed`));
  await page.goto(`${url}/?as=${as}`);
  await page.waitForSelector('body[data-ready="true"]');
  return page;
}

/** In the page: click the lead's Claim, then wait until the answer and the card as it now is show. */
const CLICK_TO_UPDATE = `async (leadId) => {
  const before = document.querySelector('#answers .answer');
  const status = () => document.querySelector('[data-message="lead-' + leadId + '"] .status')?.textContent ?? '';
  const t0 = performance.now();
  document.querySelector('[data-message="lead-' + leadId + '"] button[data-action="lead.claim"]').click();
  let answeredAt = null;
  for (;;) {
    const answered = document.querySelector('#answers .answer') !== before;
    if (answered) answeredAt ??= performance.now() - t0;
    if (answered && /Claimed by/.test(status())) break;
    if (performance.now() - t0 > 30000) throw new Error('no update in 30 s: answered ' + answered + ', status ' + status());
    await new Promise((r) => setTimeout(r, 5));
  }
  return [answeredAt, performance.now() - t0];
}`;

async function firstStart(browser: Browser): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-bench-playground-'));
  const port = await freePort();
  const started = performance.now();
  const app = await npmStart({ PORT: String(port), DATA_DIR: join(dir, 'data'), INTAKE_API_KEY: INTAKE_KEY });
  try {
    const page = await openAs(browser, app.url, 'slack-U0000000001');
    const drawn = performance.now() - started;
    const posted = performance.now();
    const id = await postLead(app.url, 'First Lead', 'inbound');
    await page.waitForSelector(`[data-message="lead-${id}"] button[data-action="lead.claim"]`);
    const shown = performance.now();
    console.log('first start (npm start, new data folder, example teams file):');
    console.log(`  to the playground line in the log ${ms(app.ready)}`);
    console.log(`  to the page drawn                 ${ms(drawn)}`);
    console.log(`  lead posted → its card in the page ${ms(shown - posted)}`);
    console.log(`  npm start → first card visible    ${ms(shown - started)}`);
    await page.close();
  } finally {
    stop(app.child);
  }
}

async function twentyAtOnce(browser: Browser): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'leadpool-bench-playground-'));
  const teams = join(dir, 'teams.yaml');
  writeFileSync(teams, teamsYaml());
  const port = await freePort();
  const app = await npmStart({
    PORT: String(port),
    DATA_DIR: join(dir, 'data'),
    INTAKE_API_KEY: INTAKE_KEY,
    TEAMS_CONFIG: teams,
  }).catch(async () => {
    throw new Error('the app did not start');
  });
  try {
    const pages = await Promise.all(Array.from({ length: PEOPLE }, (_, i) => openAs(browser, app.url, person(i))));
    const inPage: number[] = [];
    const answeredIn: number[] = [];
    const http: number[] = [];
    for (let round = 0; round < ROUNDS + 1; round++) {
      const id = await postLead(app.url, `Race Lead ${round}`);
      const claim = `[data-message="lead-${id}"] button[data-action="lead.claim"]`;
      await Promise.all(pages.map((page) => page.waitForSelector(claim)));
      const took = await Promise.all(
        pages.map((page) => page.evaluate(`(${CLICK_TO_UPDATE})(${id})`) as Promise<[number, number]>),
      );
      // The first round warms the process up (compiled code, open connections), as a running bot is.
      if (round === 0) continue;
      answeredIn.push(...took.map(([answered]) => answered));
      inPage.push(...took.map(([, updated]) => updated));
    }
    for (let round = 0; round < ROUNDS; round++) {
      const id = await postLead(app.url, `Floor Lead ${round}`);
      const took = await Promise.all(
        Array.from({ length: PEOPLE }, async (_, i) => {
          const t0 = performance.now();
          await fetch(`${app.url}/playground/api/click`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ as: person(i), interaction: 'lead.claim', subject: { lead: String(id) } }),
          }).then((r) => r.json());
          return performance.now() - t0;
        }),
      );
      http.push(...took);
    }
    const p = (values: number[], q: number) => percentile(values, q);
    console.log(`${PEOPLE} people clicking Claim on one lead at once, ${ROUNDS} rounds (${inPage.length} clicks):`);
    console.log(
      `  click → answer shown   p50 ${ms(p(answeredIn, 50))}  p99 ${ms(p(answeredIn, 99))}  max ${ms(Math.max(...answeredIn))}`,
    );
    console.log(
      `  click → page updated   p50 ${ms(p(inPage, 50))}  p99 ${ms(p(inPage, 99))}  max ${ms(Math.max(...inPage))}`,
    );
    console.log(
      `  click HTTP round trip  p50 ${ms(p(http, 50))}  p99 ${ms(p(http, 99))}  max ${ms(Math.max(...http))}`,
    );
    console.log(`  page / HTTP at p50: ${(p(inPage, 50) / p(http, 50)).toFixed(2)}x`);
    reportFigure({
      bench: 'bench:playground (Chromium)',
      database: 'embedded (PGlite)',
      what: `${PEOPLE} pages click Claim at once: the answer shown, p99`,
      value: p(answeredIn, 99),
      unit: 'ms',
      baseline: { what: 'the clicks as plain HTTP', value: p(http, 99) },
    });
  } finally {
    stop(app.child);
  }
}

async function main(): Promise<void> {
  const path = chromiumPath();
  if (!path) throw new Error('no Chromium at /usr/bin/chromium (or CHROMIUM_PATH): install Debian’s chromium package');
  const browser = await launchChromium(path);
  try {
    await firstStart(browser);
    await twentyAtOnce(browser);
  } finally {
    await browser.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
