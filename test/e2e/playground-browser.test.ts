/**
 * The playground in a real browser (Debian's Chromium, driven by playwright-core): two reps race
 * for a lead in two pages, a follow-up is logged through the form and shows on the desk, a lead
 * named as markup shows as text, and, on the demo day's fast clock, a reclaim and the managers'
 * digest arrive in open pages by themselves. No page logs an error or opens a dialog.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { BROWSER_REQUIRED, chromiumPath, launchChromium, watchPage } from '../support/browser.js';
import { postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { freePort } from '../support/postgres-server.js';
import { until } from '../support/until.js';

const executable = chromiumPath();
if (!executable && BROWSER_REQUIRED)
  throw new Error('Chromium is required here (LEADPOOL_BROWSER_REQUIRED=1) and absent');
const NO_BROWSER = 'did not run: no Chromium at /usr/bin/chromium (or CHROMIUM_PATH); .ci/run installs it';
const MARKUP = '<img src=x onerror=alert(1)>';

describe('the playground in a browser', () => {
  let browser: Browser | null = null;
  let app: Leadpool;
  const open = async (as: string) => {
    const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 900 } });
    const watched = watchPage(page);
    await page.goto(`${app.url.replace('127.0.0.1', 'localhost')}/?as=${as}`);
    await page.waitForSelector('body[data-ready="true"]');
    return { page, problems: watched };
  };

  beforeAll(async () => {
    if (!executable) return;
    browser = await launchChromium(executable);
    app = await startTestLeadpool({ playground: 'on', teams: teamsYaml({ reps: 2 }) });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('two reps race for one lead: one owns it, the other is told why, and both pages show it live', async (ctx) => {
    if (!executable) return ctx.skip(NO_BROWSER);
    const a = await open(`slack-${repId(0)}`);
    const b = await open(`slack-${repId(1)}`);
    // The pages are open before the lead comes: its card arrives by itself.
    const id = (
      (await (await postLead(app, { team: 'alpha', name: MARKUP, email: 'x@markup.example' })).json()) as {
        id: number;
      }
    ).id;
    const claim = `[data-message="lead-${id}"] button[data-action="lead.claim"]`;
    await Promise.all([a.page.waitForSelector(claim), b.page.waitForSelector(claim)]);
    // Shown as the text it is, in the card's title: no image element, no dialog.
    expect(await a.page.locator(`[data-message="lead-${id}"] h3`).textContent()).toContain(MARKUP);
    expect(await a.page.locator('#channel img').count()).toBe(0);

    // Both press at the same moment (a page's click is a few milliseconds from here).
    const press = (page: Page) => page.evaluate(`document.querySelector(${JSON.stringify(claim)}).click()`);
    await Promise.all([press(a.page), press(b.page)]);
    const answers = await Promise.all(
      [a.page, b.page].map(async (page) => {
        await page.waitForSelector('#answers .answer');
        return (await page.locator('#answers .answer').first().textContent()) ?? '';
      }),
    );
    const lost = answers.findIndex((text) => /Too late/.test(text));
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(answers[1 - lost]).toMatch(/Claimed L-/);
    const winner = lost === 0 ? b : a;
    const loser = lost === 0 ? a : b;
    const status = `[data-message="lead-${id}"] .status`;
    await until(async () => /Claimed by/.test((await loser.page.locator(status).textContent()) ?? ''), 'live status');
    expect(await loser.page.locator(claim).count()).toBe(0);

    // The follow-up form: a problem under its field first, then logged, and the desk shows the next date.
    await winner.page.click(`[data-message="lead-${id}"] button[data-action="lead.follow_up.open"]`);
    await winner.page.waitForSelector('dialog[open] form');
    await winner.page.fill('#field-next', 'yesterday');
    await winner.page.fill('#field-note', 'Called: wants a demo');
    await winner.page.click('dialog[open] button[type="submit"]');
    await winner.page.waitForSelector('dialog[open] [data-error-for="next"]');
    await winner.page.fill('#field-next', 'in 3d');
    await winner.page.click('dialog[open] button[type="submit"]');
    await winner.page.waitForSelector('dialog:not([open])', { state: 'attached' });
    await until(
      async () => /follow up by/.test((await winner.page.locator('#desk').textContent()) ?? ''),
      'the desk with the next follow-up',
    );
    const desk = (await winner.page.locator('#desk').textContent()) ?? '';
    expect(desk).toContain(`L-${id}`);
    expect(await winner.page.locator('#answers').textContent()).toMatch(/Logged|logged/);
    expect([...a.problems, ...b.problems]).toEqual([]);
    // Everything drawn is text the page meant to draw.
    expect(await a.page.locator('main').textContent()).not.toContain('[object');
  }, 60_000);

  it('switches to Chinese and answers a Chinese command in Chinese', async (ctx) => {
    if (!executable) return ctx.skip(NO_BROWSER);
    const { page, problems: seen } = await open(`slack-${repId(0)}`);
    await page.selectOption('#language', 'zh-CN');
    await until(async () => (await page.locator('#desk-title').textContent()) === '工作台', 'the Chinese words');
    await page.fill('#command', '我的');
    await page.click('#command-send');
    await page.waitForSelector('#answers .answer');
    expect(await page.locator('#answers .answer').first().textContent()).toMatch(/\p{Script=Han}/u);
    expect(seen).toEqual([]);
  });
});

describe('the demo day in a browser', () => {
  let browser: Browser | null = null;
  let demo: ChildProcess | null = null;
  let url = '';
  const output: string[] = [];

  beforeAll(async () => {
    if (!executable) return;
    browser = await launchChromium(executable);
    const port = await freePort();
    url = `http://localhost:${port}`;
    demo = spawn(process.execPath, ['--import', 'tsx', 'src/demo/main.ts'], {
      env: {
        PATH: process.env.PATH,
        PORT: String(port),
        DEMO_SPEED: '300',
        DEMO_START: '16:50',
        // The demo touches none of these: were it to use the database, it could not start.
        DATABASE_URL: 'postgresql://leadpool@127.0.0.1:1/nowhere',
        SLACK_BOT_TOKEN: 'xoxb-not-for-the-demo',
        SLACK_SIGNING_SECRET: 'not-for-the-demo',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    demo.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await until(() => output.join('').includes('demo day: open'), 'the demo to start', 60_000, {
      detail: async () => output.join('').slice(-2000),
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    demo?.kill('SIGTERM');
  });

  it('shows a reclaim to the rep who let a lead lapse, and the digest to the manager, live', async (ctx) => {
    if (!executable) return ctx.skip(NO_BROWSER);
    const open = async (as: string) => {
      const page = await (browser as Browser).newPage({ viewport: { width: 1400, height: 900 } });
      const seen = watchPage(page);
      await page.goto(`${url}/?as=${as}`);
      await page.waitForSelector('body[data-ready="true"]');
      return { page, seen };
    };
    const ana = await open('slack-U0DEMO0001');
    const marco = await open('slack-U0DEMO0006');
    // Ana claims the first lead she can (the others may be quicker) and never follows up.
    const claim = '#channel button[data-action="lead.claim"]';
    await until(
      async () => {
        await ana.page.waitForSelector(claim, { timeout: 30_000 });
        const answered = await ana.page.locator('#answers .answer').count();
        await ana.page.locator(claim).first().click();
        await until(async () => (await ana.page.locator('#answers .answer').count()) > answered, 'an answer');
        return /Claimed L-/.test((await ana.page.locator('#answers .answer').first().textContent()) ?? '');
      },
      'a lead of her own',
      60_000,
    );
    await until(
      async () => /returned to the pool/.test((await ana.page.locator('#dms').textContent()) ?? ''),
      'the reclaim DM',
      60_000,
      {
        detail: async () =>
          `${await ana.page.locator('#dms').textContent()} | ${await ana.page.locator('#desk').textContent()}`,
      },
    );
    await until(
      async () => /Daily digest · Demo Sales/.test((await marco.page.locator('#dms').textContent()) ?? ''),
      "the managers' digest",
      60_000,
    );
    expect(await marco.page.locator('#dms .chart meter').count()).toBeGreaterThan(0);
    if (process.env.PLAYGROUND_SCREENSHOT) await screenshot(ana.page, process.env.PLAYGROUND_SCREENSHOT);
    expect([...ana.seen, ...marco.seen]).toEqual([]);
    for (const page of [ana.page, marco.page])
      expect(await page.locator('main').textContent()).not.toContain('[object');
  }, 120_000);
});

async function screenshot(page: Page, path: string): Promise<void> {
  mkdirSync(dirname(join(process.cwd(), path)), { recursive: true });
  await page.screenshot({ path });
}
