import type { webApi } from '@slack/bolt';
import type { ApiCall } from '../../infra/metrics-events.js';

/** `https://slack.com/api/chat.postMessage` → `chat.postMessage`; a file's upload address → `upload`. */
export function slackMethodOf(url: string | URL): string {
  const path = new URL(url).pathname;
  const at = path.indexOf('/api/');
  if (at < 0) return 'upload';
  const method = path.slice(at + 5);
  // Method names are Slack's own, chosen by our code; anything else is not echoed into a label.
  return /^[a-zA-Z]+(\.[a-zA-Z]+)+$/.test(method) ? method : 'other';
}

/**
 * The Web API client's fetch, telling `apiCall` of each call: Slack answers errors with HTTP 200
 * and `"ok": false`, so the outcome is read from a copy of the body (the client reads the original).
 */
export function observedSlackFetch(
  apiCall: (call: ApiCall) => void,
  fetchFn: typeof fetch = fetch,
): webApi.FetchFunction {
  return async (url, init) => {
    const started = performance.now();
    const told = (outcome: ApiCall['outcome']) =>
      apiCall({
        messenger: 'slack',
        method: slackMethodOf(url),
        outcome,
        seconds: (performance.now() - started) / 1000,
      });
    let response: Response;
    try {
      response = await fetchFn(url, init);
    } catch (error) {
      told('network');
      throw error;
    }
    if (response.status === 429) told('rate_limited');
    else if (response.status !== 200) told('error');
    else told((await answeredOk(response)) ? 'ok' : 'error');
    return response;
  };
}

async function answeredOk(response: Response): Promise<boolean> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return true;
  try {
    const body = (await response.clone().json()) as { ok?: unknown };
    return body.ok !== false;
  } catch {
    return false;
  }
}
