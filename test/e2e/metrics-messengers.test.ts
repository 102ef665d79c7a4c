/**
 * What the messengers add to /metrics, through the real Bolt receiver and Lark dispatcher against
 * the fakes of their APIs: claims won and refused by reason with their latency, every button and
 * command by outcome, and every platform API call by method and outcome (ok, error, rate_limited).
 */
import { describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { cardClick, postLarkCallback } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_CHAT, larkRepId, postLead, repId, teamsYaml } from '../support/leadpool.js';
import { grew, scrape, seriesValue } from '../support/prometheus.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { until } from '../support/until.js';

const claims = (labels: string) => `leadpool_claims_total{${labels}}`;
const handled = (kind: string, name: string, outcome: string) =>
  `leadpool_handler_duration_seconds_count{kind="${kind}",name="${name}",outcome="${outcome}"}`;
const apiCalls = (messenger: string, method: string, outcome: string) =>
  `leadpool_platform_api_call_duration_seconds_count{messenger="${messenger}",method="${method}",outcome="${outcome}"}`;

async function newLead(app: Leadpool, name: string): Promise<number> {
  const res = await postLead(app, { team: 'alpha', name, company: 'Metric Works' });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

describe('metrics of Slack', () => {
  const suite = useSlackSuite(teamsYaml({ reps: 3 }));
  const events = () => `${suite.app.url}/slack/events`;
  let seq = 0;
  const respondTo = () => suite.fake.responseUrl(`m${++seq}`);

  it('counts claims won and refused by reason, and commands by outcome', async () => {
    const id = await newLead(suite.app, 'Claimed Twice');
    await suite.app.relay.drain();
    const before = await scrape(suite.app.url);
    const clicks = [repId(1), repId(2)].map((rep) =>
      postSigned(events(), signedForm(claimClick(rep, id, respondTo()))),
    );
    for (const answer of await Promise.all(clicks)) expect(answer.status).toBe(200);
    await postSigned(events(), signedForm(slashCommand(repId(1), 'mine', respondTo())));
    let after = '';
    await until(async () => {
      after = await scrape(suite.app.url);
      // The loser's click is answered after the winner's: both are waited for.
      return (
        grew(before, after, handled('command', 'mine', 'ok')) === 1 &&
        grew(before, after, claims('result="won"')) === 1 &&
        grew(before, after, 'leadpool_claim_duration_seconds_count{result="refused"}') === 1
      );
    }, 'the claims and the command to be counted');
    expect(grew(before, after, claims('result="refused",reason="lead.already_claimed"'))).toBe(1);
    expect(grew(before, after, 'leadpool_claim_duration_seconds_count{result="won"}')).toBe(1);
    expect(grew(before, after, 'leadpool_claim_duration_seconds_count{result="refused"}')).toBe(1);
    expect(grew(before, after, handled('interaction', 'lead.claim', 'ok'))).toBe(1);
    expect(grew(before, after, handled('interaction', 'lead.claim', 'lead.already_claimed'))).toBe(1);
  });

  it('counts every Web API call by method: answered, refused with an error, and rate limited', async () => {
    const before = await scrape(suite.app.url);
    await newLead(suite.app, 'Posted Card');
    await suite.app.relay.drain();
    const client = await suite.app.slack?.clients.for('');
    if (!client) throw new Error('Slack is not on');
    suite.fake.failures.set('chat.postMessage', ['ratelimited', 'not_in_channel']);
    await expect(client.chat.postMessage({ channel: 'C0ALPHA', text: 'limited' })).rejects.toThrow();
    await expect(client.chat.postMessage({ channel: 'C0ALPHA', text: 'refused' })).rejects.toThrow();
    const after = await scrape(suite.app.url);
    expect(grew(before, after, apiCalls('slack', 'chat.postMessage', 'ok'))).toBeGreaterThanOrEqual(1);
    expect(grew(before, after, apiCalls('slack', 'chat.postMessage', 'rate_limited'))).toBe(1);
    expect(grew(before, after, apiCalls('slack', 'chat.postMessage', 'error'))).toBe(1);
    // Methods only: no channel, user or message id is ever a label.
    const labels = after.split('\n').filter((l) => l.startsWith('leadpool_platform_api_call'));
    expect(labels.some((l) => /C0ALPHA|U0\d{3}/.test(l))).toBe(false);
  });
});

describe('metrics of Lark', () => {
  const suite = useLarkSuite({ teams: teamsYaml({ lark: true, reps: 3 }) });

  it('counts calls by method with ids taken out, a rate limit apart, and claims from card clicks', async () => {
    const before = await scrape(suite.app.url);
    suite.fake.rateLimitNext = 1;
    const id = await newLead(suite.app, 'Lark Metric');
    await until(() => suite.fake.to(LARK_CHAT).length >= 1, 'the card in the group', 15_000);
    const click = cardClick({
      openId: larkRepId(1),
      value: { action: 'lead.claim', lead: String(id) },
      chatId: LARK_CHAT,
    });
    expect((await postLarkCallback(suite.app.url, click)).status).toBe(200);
    await suite.app.relay.drain();
    const after = await scrape(suite.app.url);
    expect(grew(before, after, apiCalls('lark', 'POST im/v1/messages', 'rate_limited'))).toBe(1);
    expect(grew(before, after, apiCalls('lark', 'POST im/v1/messages', 'ok'))).toBeGreaterThanOrEqual(1);
    expect(
      seriesValue(after, apiCalls('lark', 'POST auth/v3/tenant_access_token/internal', 'ok')),
    ).toBeGreaterThanOrEqual(1);
    expect(grew(before, after, claims('result="won"'))).toBe(1);
    const patched = after.split('\n').filter((l) => l.includes('method="PATCH im/v1/messages'));
    expect(patched.length).toBeGreaterThan(0);
    expect(patched.every((l) => l.includes('method="PATCH im/v1/messages/:id"'))).toBe(true);
  });
});
