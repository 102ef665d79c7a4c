import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * The machine's Chromium (Debian's package; `.ci/run` installs it): browser builds cannot be
 * downloaded here. CHROMIUM_PATH names another. Null when there is none.
 */
export function chromiumPath(): string | null {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path) ? path : null;
}

/** Set by `.ci/run`, where a missing browser is a failure, not a test that did not run. */
export const BROWSER_REQUIRED = process.env.LEADPOOL_BROWSER_REQUIRED === '1';

/**
 * Headless, with nothing of its own reaching the network (these machines refuse it), in a profile
 * of its own (Playwright makes one per launch).
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What a page said that it should not have: console errors, uncaught errors, and any dialog it opened. */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.type()} ${dialog.message()}`);
    void dialog.dismiss();
  });
  return problems;
}
