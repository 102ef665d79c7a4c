import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
