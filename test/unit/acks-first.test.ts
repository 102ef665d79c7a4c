import { describe, expect, it } from 'vitest';
import { AcksFirst } from '../../src/infra/process/acks-first.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('acknowledgements first', () => {
  it('starts the work once requests stop arriving, not while they still come', async () => {
    const gate = new AcksFirst(30, 5_000);
    let started = false;
    gate.arrived();
    const done = gate.later(async () => {
      started = true;
      return 'ran';
    });
    for (let i = 0; i < 8; i++) {
      await sleep(10);
      gate.arrived();
      expect(started, `arrival ${i}`).toBe(false);
    }
    expect(await done).toBe('ran');
  });

  it('starts the work after its longest delay even while requests never stop', async () => {
    const gate = new AcksFirst(30, 150);
    const arriving = setInterval(() => gate.arrived(), 5);
    try {
      const queued = performance.now();
      await gate.later(async () => undefined);
      expect(performance.now() - queued).toBeGreaterThanOrEqual(140);
    } finally {
      clearInterval(arriving);
    }
  });

  it('passes the work’s failure on to its caller', async () => {
    const gate = new AcksFirst(1, 10);
    await expect(gate.later(async () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
  });
});
