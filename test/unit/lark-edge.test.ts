import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { larkMode, larkOffMessage, parseEnv } from '../../src/config/env.js';
import { DeliveryDeferred } from '../../src/domain/notifications/notification-sink.js';
import { MAX_BACKLOG_MS, MemoryPaceBook } from '../../src/infra/pacing/pace-book.js';
import { commandText, withinDeadline } from '../../src/messengers/lark/handlers.js';
import {
  decryptLark,
  type LarkCallbackRequest,
  larkSignature,
  verifyLarkCallback,
} from '../../src/messengers/lark/http/lark-request.js';
import { CHAT_RATE_LIMITED, LarkApi, LarkApiError, PACE } from '../../src/messengers/lark/lark-api.js';
import { textCard } from '../../src/messengers/lark/views/lark-card.js';
import { parseLeadCommand } from '../../src/messengers/shared/command-parser.js';
import { encryptLark, signedLarkRequest } from '../support/lark-requests.js';

const SAMPLES = join(import.meta.dirname, '../../../shared/data/platform-samples');

// Official vectors (PLATFORM.md, Lark section).
const VECTOR = {
  key: 'test key',
  ciphertext: 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=',
  timestamp: '1700000000',
  nonce: 'n1',
  signature: '20e0244a0a89579fc6c725e19463ad506f2d8179a94226a40da918063c980598',
};
const secrets = { verificationToken: 'vtoken', encryptKey: 'enc-key' };
const event = {
  schema: '2.0',
  header: { event_id: 'ev1', token: 'vtoken', event_type: 'im.message.receive_v1' },
  event: {},
};
const now = Date.parse('2026-11-29T09:00:00Z');

describe('Lark callback verification', () => {
  it('decrypts and signs the official vectors', () => {
    expect(decryptLark(VECTOR.ciphertext, VECTOR.key)).toBe('hello world');
    const body = JSON.stringify({ encrypt: VECTOR.ciphertext });
    expect(larkSignature(VECTOR.timestamp, VECTOR.nonce, VECTOR.key, body)).toBe(VECTOR.signature);
  });

  it("answers the console's encrypted URL check, which Lark sends unsigned, as the official SDKs do", (ctx) => {
    const sample = join(SAMPLES, 'lark.url_verification.encrypted.json');
    if (!existsSync(sample))
      return ctx.skip('did not run: ../shared/data (the Lark SDK’s encrypted challenge) is absent');
    // The Node SDK's own test vector: encrypt key "mazhe.nerd", the token inside the ciphertext.
    const { payload } = JSON.parse(readFileSync(sample, 'utf8')) as { payload: { encrypt: string } };
    const unsigned = { raw: JSON.stringify(payload), timestamp: undefined, nonce: undefined, signature: undefined };
    const keys = { verificationToken: 'iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6', encryptKey: 'mazhe.nerd' };
    expect(verifyLarkCallback(unsigned, keys, now)).toMatchObject({
      ok: true,
      payload: { type: 'url_verification', challenge: '5634b122-c042-4634-bc7f-b07a3c3e77ad' },
    });
    // Its token must still be ours, and only a challenge goes unsigned.
    expect(verifyLarkCallback(unsigned, { ...keys, verificationToken: 'other' }, now)).toMatchObject({
      ok: false,
      status: 401,
      reason: 'verification token mismatch',
    });
    const { raw } = signedLarkRequest(event, secrets.encryptKey, now);
    expect(
      verifyLarkCallback({ raw, timestamp: undefined, nonce: undefined, signature: undefined }, secrets, now),
    ).toMatchObject({ ok: false, status: 401, reason: 'missing or malformed timestamp' });
  });

  it('accepts a current, signed, encrypted callback with the right token', () => {
    const verified = verifyLarkCallback(signedLarkRequest(event, secrets.encryptKey, now), secrets, now);
    expect(verified).toEqual({ ok: true, payload: event });
  });

  it('refuses a bad signature, a stale or future timestamp, a wrong token and a plain body, each with its reason', () => {
    const good = signedLarkRequest(event, secrets.encryptKey, now);
    const cases: [LarkCallbackRequest, number, RegExp][] = [
      [{ ...good, signature: 'f'.repeat(64) }, 401, /signature mismatch/],
      [{ ...good, raw: good.raw.replace('"}', ' "}') }, 401, /signature mismatch/],
      [signedLarkRequest(event, secrets.encryptKey, now - 301_000), 401, /stale timestamp/],
      [signedLarkRequest(event, secrets.encryptKey, now + 120_000), 401, /in the future/],
      [{ ...good, nonce: undefined }, 401, /missing signature headers/],
      [
        signedLarkRequest({ ...event, header: { ...event.header, token: 'other' } }, secrets.encryptKey, now),
        401,
        /token mismatch/,
      ],
      [signedLarkRequest(event, 'another-key', now), 401, /signature mismatch/],
    ];
    for (const [request, status, reason] of cases) {
      const verified = verifyLarkCallback(request, secrets, now);
      expect(verified.ok).toBe(false);
      if (!verified.ok) {
        expect(verified.status).toBe(status);
        expect(verified.reason).toMatch(reason);
      }
    }
    const plain = { raw: JSON.stringify(event), timestamp: undefined, nonce: undefined, signature: undefined };
    expect(verifyLarkCallback(plain, secrets, now)).toMatchObject({ ok: false, status: 401 });
  });

  it('without an encrypt key checks the token, and refuses encrypted bodies and prototype keys', () => {
    const tokenOnly = { verificationToken: 'vtoken' };
    const request = (body: string) => ({ raw: body, timestamp: undefined, nonce: undefined, signature: undefined });
    expect(verifyLarkCallback(request(JSON.stringify(event)), tokenOnly, now).ok).toBe(true);
    const challenge = { type: 'url_verification', challenge: 'c1', token: 'vtoken' };
    expect(verifyLarkCallback(request(JSON.stringify(challenge)), tokenOnly, now)).toEqual({
      ok: true,
      payload: challenge,
    });
    expect(verifyLarkCallback(request(JSON.stringify({ ...challenge, token: 'x' })), tokenOnly, now).ok).toBe(false);
    expect(
      verifyLarkCallback(request(JSON.stringify({ encrypt: encryptLark('{}', 'k') })), tokenOnly, now),
    ).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(verifyLarkCallback(request('{"__proto__":{"x":1},"token":"vtoken"}'), tokenOnly, now)).toMatchObject({
      ok: false,
      status: 400,
    });
    expect(verifyLarkCallback(request('not json'), tokenOnly, now)).toMatchObject({ ok: false, status: 400 });
  });
});

describe('Lark commands and limits', () => {
  it('reads the command words of a text message, without mentions or a leading /lead', () => {
    expect(commandText(JSON.stringify({ text: '@_user_1 /lead mine' }), [{ key: '@_user_1' }])).toBe('mine');
    expect(commandText(JSON.stringify({ text: '跟进 L-7 call 已电话沟通' }), [])).toBe('跟进 L-7 call 已电话沟通');
    expect(commandText('not json', [])).toBeNull();
    expect(parseLeadCommand('我的')).toEqual({ kind: 'mine' });
    expect(parseLeadCommand('帮助')).toEqual({ kind: 'help' });
    expect(parseLeadCommand('新线索')).toEqual({ kind: 'new' });
    expect(parseLeadCommand('跟进 L-7 call 已电话沟通')).toEqual({
      kind: 'log',
      lead: { id: 7 },
      method: 'call',
      note: '已电话沟通',
    });
  });

  it("books a chat's five a second one each 220 ms, never six in a second, other keys free", async () => {
    const clock = 0;
    const book = new MemoryPaceBook(() => clock);
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const booking = await book.book('chat', PACE.receiver, 5_000);
      waits.push(booking.booked ? booking.waitMs : -1);
    }
    expect(waits).toEqual([0, 220, 440, 660, 880, 1100, 1320]);
    expect(await book.book('other', PACE.receiver, 0)).toEqual({ booked: true, waitMs: 0 });
    // Past the wait allowed nothing is booked: the caller comes back at its turn.
    expect(await book.book('chat', PACE.receiver, 100)).toEqual({ booked: false, reason: 'paced', waitMs: 1540 });
  });

  it("keeps to the app's thousand in any minute, with a burst first", async () => {
    let clock = 0;
    const book = new MemoryPaceBook(() => clock);
    const slots: number[] = [];
    for (let i = 0; i < 2500; i++) {
      const booking = await book.book('app', PACE.appMinute, 120_000);
      if (!booking.booked) throw new Error('not booked');
      clock += booking.waitMs;
      slots.push(clock);
    }
    expect(slots.filter((t) => t === 0).length).toBeGreaterThanOrEqual(80);
    for (let i = 1000; i < slots.length; i++)
      expect((slots[i] as number) - (slots[i - 1000] as number)).toBeGreaterThanOrEqual(60_000);
  });

  it('sends the ones told to wait back one slot apart, and holds a key for a rate limit', async () => {
    let clock = 0;
    const book = new MemoryPaceBook(() => clock);
    await book.book('C1', { intervalMs: 1000 }, 0);
    const later = await Promise.all([1, 2, 3].map(() => book.book('C1', { intervalMs: 1000 }, 0)));
    expect(later.map((b) => b.waitMs)).toEqual([1000, 2000, 3000]);
    // However many are told to wait, none is sent further than the bound past the next free slot.
    const many = await Promise.all(Array.from({ length: 100 }, () => book.book('C1', { intervalMs: 1000 }, 0)));
    expect(Math.max(...many.map((b) => b.waitMs))).toBe(1000 + MAX_BACKLOG_MS);
    await book.hold('C2', 5_000);
    expect(await book.book('C2', null, 10_000)).toMatchObject({ booked: false, reason: 'held', waitMs: 5_000 });
    clock = 5_000;
    expect(await book.book('C2', null, 0)).toEqual({ booked: true, waitMs: 0 });
  });

  it('forgets keys whose slots are past, so memory stays flat over many chats and messages', async () => {
    let clock = 0;
    const book = new MemoryPaceBook(() => clock);
    for (let i = 0; i < 1000; i++) await book.book(`om_${i}`, PACE.receiver, 0);
    clock = 2000;
    expect(book.size).toBe(1000);
    await book.book('om_new', PACE.receiver, 0);
    expect(book.size).toBe(1);
  });

  it('turns Lark on by the app id and secret, and says what is missing', () => {
    const off = larkMode(parseEnv({ LARK_APP_ID: 'cli_0123456789abcdef' }));
    expect(off).toEqual({ kind: 'off', missing: ['LARK_APP_SECRET'] });
    const http = larkMode(
      parseEnv({ LARK_APP_ID: 'cli_0123456789abcdef', LARK_APP_SECRET: 's', LARK_TRANSPORT: 'http' }),
    );
    expect(http).toEqual({ kind: 'off', missing: ['LARK_VERIFICATION_TOKEN'] });
    const on = larkMode(parseEnv({ LARK_APP_ID: 'cli_0123456789abcdef', LARK_APP_SECRET: 's', LARK_DOMAIN: 'lark' }));
    expect(on).toMatchObject({ kind: 'long_connection', domain: 'https://open.larksuite.com' });
    expect(() => parseEnv({ LARK_DOMAIN: 'ftp://x' })).toThrow(/LARK_DOMAIN/);
    expect(() => parseEnv({ LARK_APP_ID: 'app-1' })).toThrow(/LARK_APP_ID: must be an app id such as cli_/);
    expect(larkOffMessage(['LARK_APP_ID', 'LARK_APP_SECRET'], 'long_connection')).toBe(
      'Lark is off: set LARK_APP_ID and LARK_APP_SECRET to turn it on (long connection; for HTTP callbacks also set LARK_TRANSPORT=http and LARK_VERIFICATION_TOKEN)',
    );
    expect(larkOffMessage(['LARK_VERIFICATION_TOKEN'], 'http')).toBe(
      'Lark is off: set LARK_VERIFICATION_TOKEN to turn it on (HTTP callbacks at /lark/events)',
    );
  });
});

describe("answering a card click within Lark's 3 s", () => {
  it('answers with the result when it is ready in time', async () => {
    const late: string[] = [];
    expect(await withinDeadline(Promise.resolve('done'), 50, 'working', (a) => late.push(a))).toBe('done');
    expect(late).toEqual([]);
  });

  it('answers "working" at the deadline and hands the late result on, once', async () => {
    const late: string[] = [];
    let finish: (v: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    expect(await withinDeadline(work, 20, 'working', (a) => late.push(a))).toBe('working');
    finish('refused: quota');
    await work;
    await new Promise((r) => setTimeout(r, 0));
    expect(late).toEqual(['refused: quota']);
  });
});

describe('Lark rate limits', () => {
  /** A client whose message create answers as Lark does, one answer per call. */
  function clientAnswering(answers: (() => unknown)[]) {
    let calls = 0;
    const create = async () => {
      const next = answers[Math.min(calls++, answers.length - 1)] as () => unknown;
      return next();
    };
    return { client: { im: { v1: { message: { create } } } } as never, calls: () => calls };
  }
  const refusal = (status: number, code: number, reset?: string) => () => {
    throw Object.assign(new Error(`Request failed with status code ${status}`), {
      response: {
        status,
        data: { code, msg: 'too many requests' },
        headers: reset ? { 'x-ogw-ratelimit-reset': reset } : {},
      },
    });
  };
  const sent = () => ({ code: 0, data: { message_id: 'om_1', chat_id: 'oc_1' } });
  const to = { type: 'chat_id' as const, id: 'oc_1' };

  it('waits as long as x-ogw-ratelimit-reset says, for HTTP 429 and the per-chat 230020 alike', async () => {
    for (const answer of [refusal(429, 99991400, '0.2'), refusal(400, CHAT_RATE_LIMITED, '0.2')]) {
      const { client, calls } = clientAnswering([answer, sent]);
      const api = new LarkApi(client, { retryDelaysMs: [5_000, 5_000, 5_000] });
      const started = Date.now();
      await expect(api.send(to, textCard('hi'), 'u1')).resolves.toEqual({ messageId: 'om_1', chatId: 'oc_1' });
      const waited = Date.now() - started;
      expect(calls()).toBe(2);
      expect(waited).toBeGreaterThanOrEqual(180);
      expect(waited).toBeLessThan(2_000); // the header's 0.2 s, not the 5 s back-off
      expect(api.health().lastError).toMatchObject({ code: expect.any(Number) });
    }
  });

  it('hands a long rate limit back to the outbox as deferred, never as a failed send', async () => {
    const { client } = clientAnswering([refusal(400, CHAT_RATE_LIMITED, '30')]);
    const api = new LarkApi(client);
    const deferred = await api.send(to, textCard('hi'), 'u2').catch((error: unknown) => error);
    expect(deferred).toBeInstanceOf(DeliveryDeferred);
    expect((deferred as DeliveryDeferred).delayMs).toBe(30_000);
    expect(api.health().rateLimitedUntil).not.toBeNull();
    // While the limit holds, a send is deferred at once, without calling Lark.
    await expect(api.send(to, textCard('hi'), 'u3')).rejects.toBeInstanceOf(DeliveryDeferred);
  });

  it('fails other refusals at once, with their code', async () => {
    const { client, calls } = clientAnswering([refusal(400, 230002)]);
    const error = await new LarkApi(client).send(to, textCard('hi'), 'u4').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LarkApiError);
    expect((error as LarkApiError).code).toBe(230002);
    expect(calls()).toBe(1);
  });
});
