import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, migrateUpTo, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { postLead, startTestLeadpool } from '../support/leadpool.js';

describe('the facts reports read, as columns', () => {
  let testDb: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await testDb.drop();
  });

  it('the migration gives every audit row its lead’s team, and every lead the channel it came in by', async () => {
    const applyRest = await migrateUpTo(client, 'report_facts');
    await client.query(
      `INSERT INTO team (id, name, timezone, updated_at) VALUES ('sh', 'SH', 'UTC', now()), ('bj', 'BJ', 'UTC', now())`,
    );
    await client.query(
      `INSERT INTO lead (team_id, name, updated_at) VALUES ('sh', 'A', now()), ('bj', 'B', now()), ('bj', 'C', now())`,
    );
    await client.query(`INSERT INTO lead_event (lead_id, action, actor_kind, reason, at) VALUES
      (1, 'created', 'system', 'csv', now()), (2, 'created', 'system', 'api', now()), (2, 'claimed', 'member', 'claim_pool', now()),
      (3, 'created', 'system', 'something else', now())`);
    const rep = '00000000-0000-4000-8000-000000000001';
    await client.query(
      `INSERT INTO member (id, team_id, display_name, role, locale, updated_at) VALUES ($1, 'bj', 'Rep', 'rep', 'en', now())`,
      [rep],
    );
    await client.query(
      `INSERT INTO lead_event (lead_id, action, actor_id, actor_kind, to_owner_id, reason, at)
      VALUES (3, 'claimed', $1, 'member', $1, 'claim_pool', '2026-11-02T01:00:00Z')`,
      [rep],
    );
    await client.query(
      `INSERT INTO follow_up (lead_id, member_id, method, note, at) VALUES
      (3, $1, 'call', 'before the claim', '2026-11-01T01:00:00Z'), (3, $1, 'call', 'first', '2026-11-02T01:30:00Z'),
      (3, $1, 'call', 'second', '2026-11-02T05:00:00Z')`,
      [rep],
    );
    await applyRest();
    const take = await client.query(`SELECT first_contact_at FROM lead_event WHERE action = 'claimed' AND lead_id = 3`);
    expect(take.rows).toEqual([{ first_contact_at: new Date('2026-11-02T01:30:00Z') }]);
    await client.query(`DELETE FROM lead_event WHERE action = 'claimed' AND lead_id = 3`);
    const events = await client.query('SELECT lead_id, team_id FROM lead_event ORDER BY id');
    expect(events.rows).toEqual([
      { lead_id: 1, team_id: 'sh' },
      { lead_id: 2, team_id: 'bj' },
      { lead_id: 2, team_id: 'bj' },
      { lead_id: 3, team_id: 'bj' },
    ]);
    const leads = await client.query('SELECT id, channel FROM lead ORDER BY id');
    expect(leads.rows).toEqual([
      { id: 1, channel: 'csv' },
      { id: 2, channel: 'api' },
      { id: 3, channel: null },
    ]);
    await expect(
      client.query(
        `INSERT INTO lead_event (lead_id, action, actor_kind, reason, at) VALUES (1, 'x', 'system', '', now())`,
      ),
    ).rejects.toThrow(/team_id/);
  });

  it('new leads record their channel, and every audit row its team', async () => {
    const db = await createTestDatabase();
    const fake = new FakeSlack();
    await fake.start();
    const app = await startTestLeadpool({ databaseUrl: db.url, slackApiUrl: fake.apiUrl });
    try {
      const res = await postLead(app, { team: 'alpha', name: 'Channel Test', phone: '+86 138 0013 8000' });
      const { id } = (await res.json()) as { id: number };
      expect(await app.db.prisma.lead.findUniqueOrThrow({ where: { id } })).toMatchObject({ channel: 'api' });
      expect(
        await app.db.prisma.leadEvent.findMany({ where: { leadId: id }, select: { teamId: true, action: true } }),
      ).toEqual([{ teamId: 'alpha', action: 'created' }]);
    } finally {
      await app.stop();
      await fake.stop();
      await db.drop();
    }
  });
});
