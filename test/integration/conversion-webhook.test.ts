import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamDirectory } from '../../src/config/teams-config.js';
import type { ConversionRecord } from '../../src/domain/conversions/conversion-record.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { ConversionWebhook, signWebhook } from '../../src/infra/webhook/conversion-webhook.js';
import { testTeam } from '../support/fixtures.js';

let hung: Server;
let url = '';

beforeAll(async () => {
  // Takes the request and never answers.
  hung = createServer(() => {});
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  const address = hung.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
});

afterAll(async () => {
  hung.closeAllConnections();
  await new Promise((resolve) => hung.close(resolve));
});

const record = { ref: 'L-1', leadId: 1, teamId: 'alpha', convertedAt: '2026-11-10T02:00:00.000Z' } as ConversionRecord;

describe('the conversion webhook', () => {
  it('gives up on a receiver that never answers after its timeout, so the outbox retries it later', async () => {
    const webhook = new ConversionWebhook(
      {
        conversions: { conversion: async () => record, conversions: async () => [] },
        teams: teamDirectory([testTeam({ webhook: { url, secret: 'a-secret-of-enough-length' } })]),
        clock: new ManualClock('2026-11-10T02:00:00Z'),
      },
      300,
    );
    const started = performance.now();
    await expect(
      webhook.deliver(
        { kind: 'conversion.webhook', leadId: 1 },
        { key: 'outbox-1', attempt: 1, superseded: false, queuedAt: new Date() },
      ),
    ).rejects.toThrow(/timeout|aborted/i);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('signs the timestamp and the exact body, so a changed body or time fails the check', () => {
    const at = new Date('2026-11-10T02:00:00Z');
    const signature = signWebhook('a-secret-of-enough-length', '{"a":1}', at);
    expect(signature).toMatch(/^t=1794276000,v1=[0-9a-f]{64}$/);
    expect(signWebhook('a-secret-of-enough-length', '{"a":2}', at)).not.toBe(signature);
    expect(signWebhook('a-secret-of-enough-length', '{"a":1}', new Date(at.getTime() + 1000))).not.toBe(signature);
  });
});
