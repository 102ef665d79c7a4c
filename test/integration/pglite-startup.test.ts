import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { createLogger } from '../../src/infra/logger.js';
import { housekeepingJob } from '../../src/jobs/housekeeping.job.js';
import { createTestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { postLead, repId, startTestLeadpool } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm } from '../support/slack-requests.js';

const root = mkdtempSync(join(tmpdir(), 'leadpool-pglite-'));
const dataDir = join(root, 'nested', 'pglite'); // parent folders do not exist yet
let fake: FakeSlack;

beforeAll(async () => {
  fake = new FakeSlack();
  await fake.start();
});

afterAll(async () => {
  await fake?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('embedded PGlite default', () => {
  it('migrates a new data folder, takes a lead and a claim, and keeps them across a restart', async () => {
    const app = await startTestLeadpool({ dataDir, slackApiUrl: fake.apiUrl });
    let leadId = 0;
    try {
      expect(app.db.kind).toBe('pglite');
      expect(app.db.migration.applied.length).toBeGreaterThan(0);
      const res = await postLead(app, { team: 'alpha', name: 'Embedded Lead' });
      expect(res.status).toBe(201);
      leadId = ((await res.json()) as { id: number }).id;
      await app.relay.drain();
      expect(fake.to('chat.postMessage', 'C0ALPHA')).toHaveLength(1);

      const click = await postSigned(
        `${app.url}/slack/events`,
        signedForm(claimClick(repId(0), leadId, fake.responseUrl('p'))),
      );
      expect(click.status).toBe(200);
      await fake.waitFor(() => fake.of('chat.update').length === 1, 'card update');
      expect(String(fake.of('chat.update')[0]?.body.text)).toContain('Claimed by Rep 0');
    } finally {
      await app.stop();
    }

    const again = await startTestLeadpool({ dataDir });
    try {
      expect(again.db.migration.applied).toEqual([]);
      const lead = await again.db.prisma.lead.findUniqueOrThrow({
        where: { id: leadId },
        include: { owner: { include: { identities: true } } },
      });
      expect(lead.owner?.identities.map((i) => i.externalId).sort()).toEqual([repId(0), `slack-${repId(0)}`]);
    } finally {
      await again.stop();
    }
  });

  it('is vacuumed and analyzed by housekeeping, having no autovacuum; PostgreSQL is left to its own', async () => {
    const app = await startTestLeadpool({ dataDir: join(root, 'vacuumed') });
    const scratch = await createTestDatabase();
    const postgres = await openDatabase({ url: scratch.url, dataDir: '', poolSize: 1 });
    try {
      expect((await postLead(app, { team: 'alpha', name: 'Counted Lead' })).status).toBe(201);
      const statistics = async () =>
        (
          await app.db.prisma.$queryRaw<
            { n: number }[]
          >`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'lead'`
        )[0]?.n ?? 0;
      expect(await statistics()).toBe(0);
      const job = housekeepingJob(
        {
          purgeIdempotencyKeys: async () => 0,
          purgeSentOutbox: async () => 0,
          purgeCardCounters: async () => 0,
          vacuum: () => app.db.vacuum(),
          clock: new ManualClock(new Date()),
        },
        createLogger('error'),
      );
      await job.run();
      expect(await statistics()).toBeGreaterThan(0);
      expect(await postgres.vacuum()).toBe(false);
    } finally {
      await postgres.close();
      await scratch.drop();
      await app.stop();
    }
  });
});
