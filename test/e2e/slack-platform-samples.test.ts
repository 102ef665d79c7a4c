/**
 * Slack's own payloads (../shared/data/platform-samples, from Slack's SDK test suites and docs),
 * replayed through the real Bolt receiver over HTTP, re-signed as Slack would sign them now, their
 * response URLs pointed at the local fake of Slack. Each is handled with Slack's documented answer
 * or answered with a clear message; none is dropped without a logged reason, none errors. Then the
 * shapes Leadpool acts on are replayed again with its own ids: a Home-tab click, a DM, a command.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postLead, repId, teamsYaml } from '../support/leadpool.js';
import { postSigned, sign } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const SAMPLES = join(import.meta.dirname, '../../../shared/data/platform-samples');
const present = existsSync(SAMPLES);
interface Sample {
  transport: 'http-form' | 'http-json' | 'socket';
  payload: Record<string, unknown>;
}
const samples: [string, Sample][] = present
  ? readdirSync(SAMPLES)
      .filter((f) => f.startsWith('slack.') && f.endsWith('.json'))
      .map((f) => [f, JSON.parse(readFileSync(join(SAMPLES, f), 'utf8')) as Sample])
  : [];

const suite = useSlackSuite(teamsYaml({ reps: 2 }));

/** The body as Slack sends it for this transport, re-signed with the app's secret now. */
function signedAsSlack(sample: Sample, payload: Record<string, unknown>) {
  const body =
    sample.transport === 'http-json'
      ? JSON.stringify(payload)
      : 'command' in payload
        ? new URLSearchParams(payload as Record<string, string>).toString()
        : `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': sample.transport === 'http-json' ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': sign(body, timestamp),
    },
  };
}

/** Response URLs point at the fake Slack, as Slack's would point at Slack: no request leaves this machine. */
function withLocalResponseUrls(payload: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = structuredClone(payload);
  if (typeof copy.response_url === 'string') copy.response_url = suite.fake.responseUrl(name);
  if (Array.isArray(copy.response_urls))
    copy.response_urls = copy.response_urls.map((r: Record<string, unknown>) => ({
      ...r,
      response_url: suite.fake.responseUrl(`${name}-urls`),
    }));
  return copy;
}

const settle = () => new Promise((r) => setTimeout(r, 300));

describe('Slack’s own payloads, replayed over HTTP', () => {
  it('are each handled with the documented answer, or answered with a clear message; none errors', async (ctx) => {
    if (!present) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const http = samples.filter(([, s]) => s.transport !== 'socket');
    expect(http.length).toBeGreaterThanOrEqual(14);
    const outcomes: string[] = [];
    for (const [file, sample] of http) {
      const name = file.replace(/\W/g, '-');
      const logged = suite.logLines.length;
      const res = await postSigned(
        `${suite.app.url}/slack/events`,
        signedAsSlack(sample, withLocalResponseUrls(sample.payload, name)),
      );
      const text = await res.text();
      await settle();
      expect(res.status, file).toBe(200);
      const lines = suite.logLines.slice(logged);
      expect(
        lines.filter((l) => /"level":"error"/.test(l)),
        file,
      ).toEqual([]);
      const replied = suite.fake.calls.filter((c) => c.method === `respond:/respond/${name}`);
      const setAside = lines.some((l) => /acknowledged/.test(l));
      // What Slack documents, where it documents an answer.
      if (sample.payload.type === 'url_verification')
        expect(JSON.parse(text), file).toEqual({ challenge: sample.payload.challenge });
      if (sample.payload.type === 'block_suggestion') expect(JSON.parse(text), file).toEqual({ options: [] });
      // Set aside: always with a logged reason, and told where Slack gave a response URL.
      if (setAside && typeof sample.payload.response_url === 'string') expect(replied.length, file).toBe(1);
      outcomes.push(`${file}: ${setAside ? 'set aside' : 'handled'}${replied.length ? ', answered' : ''}`);
    }
    console.log(`Slack samples over HTTP:\n  ${outcomes.join('\n  ')}`);
  });

  it('in Leadpool’s own terms: a Home-tab click opens its form, a DM to the app is answered, an unknown or too long command is told why', async (ctx) => {
    if (!present) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const bySample = (file: string) => samples.find(([f]) => f === file)?.[1] as Sample;
    const { id } = (await (await postLead(suite.app, { team: 'alpha', name: 'Sample Lead' })).json()) as { id: number };

    // The Home-tab click, Slack's own payload with our button and user.
    const home = bySample('slack.block_actions.home-tab-button.json');
    const click = structuredClone(home.payload) as { user: { id: string }; actions: Record<string, unknown>[] };
    click.user.id = repId(0);
    click.actions = [{ ...click.actions[0], action_id: 'lead.show', value: String(id) }];
    const opened = suite.fake.of('views.open').length;
    await postSigned(`${suite.app.url}/slack/events`, signedAsSlack(home, click));
    await suite.fake.waitFor(() => suite.fake.of('views.open').length > opened, 'the lead modal');
    expect(JSON.stringify(suite.fake.of('views.open').at(-1)?.body.view)).toContain(`L-${id}`);

    // A DM to the app (message.im), Slack's own envelope with our rep and a command.
    const im = bySample('slack.event_callback.message-im.json');
    const dm = structuredClone(im.payload) as { event: Record<string, unknown>; event_id: string };
    dm.event = { ...dm.event, user: repId(0), text: 'open', channel: 'D0REP0' };
    await postSigned(`${suite.app.url}/slack/events`, signedAsSlack(im, dm));
    await suite.fake.waitFor(() => suite.fake.to('chat.postMessage', 'D0REP0').length > 0, 'the answer in the DM');
    expect(String(suite.fake.to('chat.postMessage', 'D0REP0')[0]?.body.text)).toContain('Alpha Sales');

    // A slash command, Slack's own fields with our command: too long, it is told so.
    const slash = bySample('slack.slash_command.enterprise-grid.json');
    const long = {
      ...slash.payload,
      command: '/lead',
      user_id: repId(0),
      text: `log L-${id} call ${'x'.repeat(4100)}`,
    };
    await postSigned(`${suite.app.url}/slack/events`, signedAsSlack(slash, withLocalResponseUrls(long, 'too-long')));
    await suite.fake.waitFor(
      () => suite.fake.calls.some((c) => c.method === 'respond:/respond/too-long'),
      'the refusal',
    );
    expect(String(suite.fake.calls.find((c) => c.method === 'respond:/respond/too-long')?.body.text)).toContain(
      'too long',
    );
  });
});
