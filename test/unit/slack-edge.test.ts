import { describe, expect, it } from 'vitest';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { KNOWN_SLACK_IDS } from '../../src/messengers/slack/app.js';
import {
  parseSlackBody,
  slackRequestSchema,
  unhandledReason,
  verifySignature,
} from '../../src/messengers/slack/http/slack-request.js';
import { buildLeadCardBlocks } from '../../src/messengers/slack/views/lead-card.blocks.js';
import { fallbackText, mrkdwn, plainText, textMessage } from '../../src/messengers/slack/views/slack-text.js';
import { testLead, testTeam } from '../support/fixtures.js';

const cardData = (fields: Record<string, string>) => ({
  lead: testLead(fields),
  owner: null,
  returnedFrom: null,
  related: [],
});

/** Every mrkdwn text of a message's blocks that shows lead data. */
function slackTexts(blocks: unknown[]): string[] {
  const out: string[] = [];
  JSON.stringify(blocks, (key, value) => {
    if (key === 'text' && typeof value === 'object' && value?.type === 'mrkdwn' && String(value.text).includes('bold'))
      out.push(value.text);
    return value;
  });
  return out;
}

// Slack's published signing example.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = 1531420618000;

describe('Slack request signature', () => {
  const headers = { timestamp: TIMESTAMP, signature: SIGNATURE };

  it("accepts Slack's published example at its own time", () => {
    expect(verifySignature(BODY, headers, SECRET, AT)).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', `${BODY}x`, headers, AT, 'signature mismatch'],
    ['another secret', BODY, headers, AT, 'signature mismatch'],
    ['a stale request', BODY, headers, AT + 301_000, 'stale timestamp'],
    ['a request from the future', BODY, headers, AT - 61_000, 'timestamp in the future'],
    ['no timestamp', BODY, { signature: SIGNATURE, timestamp: undefined }, AT, 'missing or malformed timestamp'],
    ['a non-numeric timestamp', BODY, { signature: SIGNATURE, timestamp: '1e9' }, AT, 'missing or malformed timestamp'],
    ['a v1 signature', BODY, { timestamp: TIMESTAMP, signature: 'v1=abc' }, AT, 'missing or malformed signature'],
    ['a short signature', BODY, { timestamp: TIMESTAMP, signature: 'v0=a2' }, AT, 'signature mismatch'],
  ])('refuses %s', (what, body, h, now, reason) => {
    const secret = what === 'another secret' ? `${SECRET}0` : SECRET;
    expect(verifySignature(body, h, secret, now)).toEqual({ ok: false, reason });
  });

  it('allows a clock a little behind ours and 5 minutes of age', () => {
    expect(verifySignature(BODY, headers, SECRET, AT - 59_000).ok).toBe(true);
    expect(verifySignature(BODY, headers, SECRET, AT + 299_000).ok).toBe(true);
  });
});

describe('Slack request body', () => {
  const form = 'application/x-www-form-urlencoded';

  it('reads commands as fields and interactions from their payload', () => {
    expect(parseSlackBody('command=%2Flead&user_id=U1&text=mine', form)).toMatchObject({
      ok: true,
      body: { command: '/lead', user_id: 'U1', text: 'mine' },
    });
    expect(parseSlackBody('payload=%7B%22type%22%3A%22shortcut%22%7D', form)).toEqual({
      ok: true,
      body: { type: 'shortcut' },
    });
  });

  it.each([
    ['payload=null', form],
    ['payload=5', form],
    ['payload=%7B%22__proto__%22%3A%7B%7D%7D', form],
    ['null', 'application/json'],
    ['{', 'application/json'],
    ['x', 'text/plain'],
  ])('refuses %s (%s) with a reason instead of throwing', (raw, type) => {
    const parsed = parseSlackBody(raw, type);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.length).toBeGreaterThan(0);
  });

  it('routes only what has a listener', () => {
    const route = (body: unknown) => {
      const parsed = slackRequestSchema.safeParse(body);
      return parsed.success ? unhandledReason(parsed.data, KNOWN_SLACK_IDS) : 'malformed';
    };
    const user = { id: 'U1' };
    const response_url = 'https://hooks.slack.example/r/1';
    expect(route({ command: '/lead', user_id: 'U1', response_url })).toBeNull();
    expect(route({ command: '/other', user_id: 'U1', response_url })).toBe('unknown command');
    expect(route({ type: 'block_actions', user, response_url, actions: [{ action_id: 'lead.claim' }] })).toBeNull();
    expect(
      route({ type: 'block_actions', user, response_url, actions: [{ action_id: 'lead.claim' }, { action_id: 'x' }] }),
    ).toBe('unknown action id');
    expect(route({ type: 'block_actions', actions: [{ action_id: 'lead.claim' }] })).toBe('malformed');
    expect(route({ type: 'block_actions', user: { id: 'U1\u0000' }, actions: [{ action_id: 'lead.claim' }] })).toBe(
      'malformed',
    );
    expect(route({ command: '/lead', user_id: '<@U1>', response_url })).toBe('malformed');
    // A click in a view (the Home tab, a modal) has no response_url: it is routed like any other.
    expect(route({ type: 'block_actions', user, actions: [{ action_id: 'lead.claim' }] })).toBeNull();
    expect(route({ type: 'block_actions', user, response_url: 'javascript:alert(1)', actions: [] })).toBe('malformed');
    expect(
      route({ type: 'block_actions', user, channel: null, response_url, actions: [{ action_id: 'lead.claim' }] }),
    ).toBe('malformed');
    expect(route({ type: 'view_submission', user, view: { id: 'V1', callback_id: 'lead.new.modal' } })).toBeNull();
    expect(route({ type: 'shortcut', user, callback_id: 'lead.new' })).toBeNull();
    expect(route({ type: 'event_callback', event_id: 'Ev1', event: { type: 'app_mention' } })).toBe('unknown event');
    expect(route({ type: 'event_callback', event_id: 'Ev2', event: { type: 'app_home_opened' } })).toBeNull();
  });
});

describe('Slack text', () => {
  const hostile = '<!channel> <https://evil.example/login|Verify> <@U1> & @here';

  it('escapes mrkdwn and plain text and marks mrkdwn verbatim', () => {
    expect(mrkdwn(hostile)).toEqual({
      type: 'mrkdwn',
      text: '&lt;!channel&gt; &lt;https://evil.example/login|Verify&gt; &lt;@U1&gt; &amp; @here',
      verbatim: true,
    });
    expect(plainText(hostile, 150).text).toBe(mrkdwn(hostile).text);
    expect(plainText('', 10).text).toBe(' ');
  });

  it('breaks URL schemes and broadcasts in notification text, which cannot be verbatim', () => {
    const text = fallbackText(`${hostile} see http://x.example and <!everyone>`);
    expect(text).not.toMatch(/https?:\/\/|@here|!channel|!everyone|<|>/);
    expect(text.replace(/\u2060/g, '')).toContain('https://evil.example/login');
  });

  it('shows formatting marks in lead data as typed, on cards and in DMs, and keeps our own `code`', () => {
    const typed = '*bold* _it_ ~s~ `c`';
    // A mark fenced by zero-width spaces on both sides can neither open nor close a style.
    const opensOrCloses = /(^|[^\u200B])[*_~`]|[*_~`](?!\u200B)/;
    const card = buildLeadCardBlocks(presentLeadCard(cardData({ name: typed, company: typed }), testTeam()));
    const texts = [...slackTexts(card.blocks), ...slackTexts(textMessage(typed).blocks)];
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      // As typed once the invisible fences are taken out, and no mark left unfenced.
      expect(text.replace(/\u200B/g, '')).toContain(typed);
      const data = text.slice(text.indexOf('\u200B*'));
      expect(data.slice(0, data.lastIndexOf('\u200B') + 1)).not.toMatch(opensOrCloses);
    }
    const dm = textMessage(`You claimed L-1: ${typed}. Log it with \`/lead log 1 call <what happened>\`.`);
    const shown = String((dm.blocks[0] as { text: { text: string } }).text.text);
    expect(shown).toContain('`/lead log 1 call &lt;what happened&gt;`');
    expect(shown).toContain('\u200B*\u200Bbold\u200B*\u200B');
    expect(dm.text).toContain('\u200B_\u200Bit\u200B_\u200B');
  });

  it('cuts to the Block Kit limit', () => {
    expect(mrkdwn('x'.repeat(4000)).text).toHaveLength(3000);
    const message = textMessage('y'.repeat(4000));
    expect(message.text).toHaveLength(3000);
    expect(message.blocks).toHaveLength(1);
  });
});
