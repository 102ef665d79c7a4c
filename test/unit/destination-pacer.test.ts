import { describe, expect, it } from 'vitest';
import { DeliveryDeferred } from '../../src/domain/notifications/notification-sink.js';
import { DestinationPacer } from '../../src/infra/outbox/destination-pacer.js';

const unanswered = Object.assign(new Error('timeout'), { code: 'unanswered' });
const limited = Object.assign(new Error('ratelimited'), { code: 'limited' });
const pacer = () =>
  new DestinationPacer({
    gapMs: 300,
    maxWaitMs: 800,
    holdAfterFailureMs: 300,
    retryAfterOf: (e) => ((e as { code?: string }).code === 'limited' ? 2_000 : null),
    isUnanswered: (e) => (e as { code?: string }).code === 'unanswered',
  });
const ok = async () => performance.now();
const deferral = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof DeliveryDeferred ? e : Promise.reject(e)),
  );

describe('the destination pacer', () => {
  it('keeps new posts to one destination a gap apart, one at a time, and others free', async () => {
    const p = pacer();
    const times = await Promise.all([p.send('C1', ok), p.send('C1', ok), p.send('C1', ok), p.send('C2', ok)]);
    const c1 = times.slice(0, 3).sort((a, b) => a - b);
    expect((c1[1] ?? 0) - (c1[0] ?? 0)).toBeGreaterThanOrEqual(290);
    expect((c1[2] ?? 0) - (c1[1] ?? 0)).toBeGreaterThanOrEqual(290);
    expect((times[3] ?? 0) - (c1[0] ?? 0)).toBeLessThan(200); // a busy machine may be slow, never a gap late
  });

  it('lets an edit go right after a post: the gap is for new posts', async () => {
    const p = pacer();
    const posted = await p.send('C1', ok);
    const edited = await p.send('C1', ok, false);
    expect(edited - posted).toBeLessThan(200);
  });

  it('defers the sends of a destination that did not answer, for the hold, and lets others go', async () => {
    const p = pacer();
    await expect(p.send('C1', () => Promise.reject(unanswered))).rejects.toBe(unanswered);
    const deferred = await deferral(p.send('C1', ok));
    expect(deferred?.delayMs).toBeGreaterThan(200);
    expect(await deferral(p.send('C2', ok))).toBeNull();
    await new Promise((r) => setTimeout(r, 320));
    expect(await deferral(p.send('C1', ok))).toBeNull();
  });

  it('turns a rate limit into a deferral of its Retry-After, for that destination only', async () => {
    const p = pacer();
    expect((await deferral(p.send('C1', () => Promise.reject(limited))))?.delayMs).toBe(2_000);
    expect((await deferral(p.send('C1', ok)))?.reason).toContain('held back');
    expect(await deferral(p.send('C2', ok))).toBeNull();
  });

  it('defers a send that waited behind a call that then went unanswered: the hold covers it too', async () => {
    const p = pacer();
    const hung = p.send('C1', () => new Promise((_, reject) => setTimeout(() => reject(unanswered), 200)), false);
    let called = false;
    const next = deferral(
      p.send(
        'C1',
        async () => {
          called = true;
        },
        false,
      ),
    );
    await expect(hung).rejects.toBe(unanswered);
    expect((await next)?.reason).toContain('held back');
    expect(called).toBe(false);
  });

  it('defers a send that waited too long behind a hung call, freeing its slot', async () => {
    const p = pacer();
    void p.send('C1', () => new Promise((r) => setTimeout(r, 1_500)));
    const deferred = await deferral(p.send('C1', ok, false));
    expect(deferred?.reason).toContain('busy');
  });
});
