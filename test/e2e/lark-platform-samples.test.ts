/**
 * Lark's own payloads (../shared/data/platform-samples, from Lark's SDK test suites and docs),
 * replayed through the real Lark dispatcher as Lark would send them to this app: over HTTP
 * encrypted with the app's Encrypt Key, signed and carrying its verification token, and the
 * long-connection ones pushed down the SDK's WebSocket as well. Each is handled with the
 * documented answer (a challenge echoed, a toast for a click) or answered with a clear message;
 * none errors, none is dropped without a logged reason.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptLark } from '../../src/messengers/lark/http/lark-request.js';
import { postLarkCallback, signedLarkRequest } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_APP } from '../support/leadpool.js';

const SAMPLES = join(import.meta.dirname, '../../../shared/data/platform-samples');
const present = existsSync(SAMPLES);
interface Sample {
  transport: 'http-json' | 'ws';
  notes: string;
  payload: Record<string, unknown>;
}
const samples: [string, Sample][] = present
  ? readdirSync(SAMPLES)
      .filter((f) => f.startsWith('lark.') && f.endsWith('.json'))
      .map((f) => [f, JSON.parse(readFileSync(join(SAMPLES, f), 'utf8')) as Sample])
  : [];

/**
 * The event as Lark would send it to this app: decrypted if the sample was encrypted with its own
 * key (the Node SDK's "mazhe.nerd"), wrapped in its envelope if only the event was given, and with
 * this app's verification token where Lark puts one.
 */
function asSentToThisApp(file: string, sample: Sample): Record<string, unknown> {
  let event = structuredClone(sample.payload);
  if (typeof event.encrypt === 'string') event = JSON.parse(decryptLark(event.encrypt, 'mazhe.nerd'));
  if (sample.notes.startsWith('PARTIAL'))
    event = {
      schema: '2.0',
      header: { event_type: 'im.chat.member.bot.added_v1', event_id: `ev_${file}` },
      event,
    };
  const header = event.header as Record<string, unknown> | undefined;
  if (header) header.token = LARK_APP.token;
  else event.token = LARK_APP.token;
  return event;
}

/** Encrypted with the app's key and signed; the console's URL check alone comes unsigned. */
function asLarkSendsIt(event: Record<string, unknown>) {
  const signed = signedLarkRequest(event, LARK_APP.key);
  return isChallenge(event)
    ? { raw: signed.raw, timestamp: undefined, nonce: undefined, signature: undefined }
    : signed;
}

const isClick = (event: Record<string, unknown>) =>
  (event.header as { event_type?: string } | undefined)?.event_type === 'card.action.trigger';
const isChallenge = (event: Record<string, unknown>) => event.type === 'url_verification';

describe('Lark’s own payloads over HTTP callbacks', () => {
  const suite = useLarkSuite();

  it('are each handled with the documented answer, or answered with a clear message; none errors', async (ctx) => {
    if (!present) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    expect(samples.length).toBeGreaterThanOrEqual(10);
    const outcomes: string[] = [];
    for (const [file, sample] of samples) {
      const event = asSentToThisApp(file, sample);
      const logged = suite.logLines.length;
      const started = Date.now();
      const answer = await postLarkCallback(suite.app.url, event, asLarkSendsIt(event));
      await new Promise((r) => setTimeout(r, 300));
      const lines = suite.logLines.slice(logged);
      expect(answer.status, file).toBe(200);
      expect(Date.now() - started, file).toBeLessThan(3_000);
      expect(
        lines.filter((l) => /"level":"error"/.test(l)),
        file,
      ).toEqual([]);
      if (isChallenge(event)) expect(answer.body, file).toEqual({ challenge: event.challenge });
      if (isClick(event)) expect((answer.body as { toast?: { content?: string } }).toast?.content, file).toBeTruthy();
      outcomes.push(`${file}: 200${isClick(event) ? ', toast' : ''}${isChallenge(event) ? ', challenge' : ''}`);
    }
    console.log(`Lark samples over HTTP:\n  ${outcomes.join('\n  ')}`);
  });

  it('text sent to the bot in its real shapes gets an answer; a card sent to it alone is told it reads text', async (ctx) => {
    if (!present) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const byFile = (file: string) => samples.find(([f]) => f === file) as [string, Sample];
    // The p2p text sample (a thread with a mention of the bot): its sender is answered in that chat.
    const p2p = asSentToThisApp(...byFile('lark.im_message_receive_v1.p2p-text-thread-mention.json'));
    const chat = (p2p.event as { message: { chat_id: string } }).message.chat_id as string;
    await postLarkCallback(suite.app.url, p2p, signedLarkRequest(p2p, LARK_APP.key));
    await suite.fake.waitFor(() => suite.fake.to(chat).length > 0, 'the answer in the p2p chat');
    // The same card sample sent to the bot alone: it says it reads text commands.
    const card = asSentToThisApp(...byFile('lark.im_message_receive_v1.group-interactive.json'));
    const message = (card.event as { message: Record<string, unknown> }).message;
    message.chat_type = 'p2p';
    message.chat_id = 'oc_p2p_card';
    (card.header as Record<string, unknown>).event_id = 'ev_card_p2p';
    await postLarkCallback(suite.app.url, card, signedLarkRequest(card, LARK_APP.key));
    await suite.fake.waitFor(() => suite.fake.to('oc_p2p_card').length > 0, 'the text-only hint');
    expect(JSON.stringify(suite.fake.to('oc_p2p_card')[0]?.card)).toContain('text commands');
  });
});

describe('Lark’s own long-connection payloads over the SDK’s WebSocket', () => {
  const suite = useLarkSuite({ transport: 'long_connection' });

  it('are each answered on the connection; none errors', async (ctx) => {
    if (!present) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const ws = samples.filter(([, s]) => s.transport === 'ws');
    expect(ws.length).toBeGreaterThanOrEqual(5);
    for (const [file, sample] of ws) {
      const event = asSentToThisApp(file, sample);
      const logged = suite.logLines.length;
      const answer = await suite.fake.push(event);
      await new Promise((r) => setTimeout(r, 300));
      expect(answer.code, file).toBe(200);
      expect(
        suite.logLines.slice(logged).filter((l) => /"level":"error"/.test(l)),
        file,
      ).toEqual([]);
      if (isClick(event)) expect((answer.data as { toast?: unknown } | undefined)?.toast, file).toBeTruthy();
    }
  });
});
