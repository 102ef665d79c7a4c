import { expect } from 'vitest';
import type { FakeInstall, FakeSlack } from './fake-slack.js';

let seq = 0;

/** Starts the install flow as a browser does: the redirect to Slack, and the state cookie it sets. */
export async function startInstall(
  appUrl: string,
): Promise<{ location: URL; state: string; cookie: string; setCookie: string }> {
  const res = await fetch(`${appUrl}/slack/install`, { redirect: 'manual' });
  expect(res.status).toBe(302);
  const location = new URL(String(res.headers.get('location')));
  const setCookie = String(res.headers.get('set-cookie'));
  return {
    location,
    state: String(location.searchParams.get('state')),
    cookie: setCookie.split(';')[0] ?? '',
    setCookie,
  };
}

/** The whole flow: Slack sends the browser back with a code, which the app exchanges for the install. */
export async function installThroughSlack(
  appUrl: string,
  fake: FakeSlack,
  what: FakeInstall,
  language = 'en',
): Promise<Response> {
  const { state, cookie } = await startInstall(appUrl);
  const code = `code-${++seq}-${what.token}`;
  fake.installs.set(code, what);
  return fetch(`${appUrl}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
    headers: { cookie, 'accept-language': language },
  });
}
