import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { type Database, openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { PrismaLeadPostStore, PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import type { PostRef } from '../../src/infra/outbox/lead-posts.js';
import { ProcessClaimLatch } from '../../src/infra/process/claim-latch.js';
import { type CardDrawing, cardShowing } from '../../src/messengers/shared/lead-card-showing.js';
import { slackIdentity } from '../../src/messengers/slack/identity.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { createTestLead } from '../support/fixtures.js';

const config = parseTeamsConfig(
  `teams:
  - id: posts
    name: Posts
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
      - { name: Rep A, slack: UPOSTA }
      - { name: Rep B, slack: UPOSTB }
`,
  'posts',
);
const clock = new ManualClock(new Date('2026-12-07T09:00:00Z'));
const teams = teamDirectory(config.teams);

let scratch: TestDatabase;
const dbs: Partial<Record<'PostgreSQL' | 'embedded', Database>> = {};

beforeAll(async () => {
  scratch = await createTestDatabase();
  dbs.PostgreSQL = await openDatabase({ url: scratch.url, dataDir: '', poolSize: 4 });
  dbs.embedded = await openDatabase({ dataDir: 'memory://', poolSize: 1 });
  for (const db of Object.values(dbs)) await syncTeams(db.prisma, config, clock.now());
});

afterAll(async () => {
  for (const db of Object.values(dbs)) await db.close();
  await scratch?.drop();
});

/** Draws what it is given, so two drawings can be compared: the card's lead and where it is shown. */
const drawing = (messenger: string): CardDrawing<string> => ({
  messenger,
  burstPageSize: 10,
  card: (view) => `card ${JSON.stringify(view)}`,
  burst: (view) => `burst ${JSON.stringify(view)}`,
});

describe.each(['PostgreSQL', 'embedded'] as const)('a claimed card, redrawn from the claim write, %s', (database) => {
  it('carries where each messenger shows the lead, as the post store has it, and is drawn without reading it again', async () => {
    const db = dbs[database] as Database;
    const store = new PrismaLeadStore(db.prisma, { sql: db.sql });
    const posts = new PrismaLeadPostStore(db.prisma, db.sql);
    const deps = { store, teams, clock, claims: new ProcessClaimLatch() };
    const shown = await createTestLead(deps, { team: 'posts', name: 'Shown Twice' });
    const paged = await createTestLead(deps, { team: 'posts', name: 'On A Page' });
    const unseen = await createTestLead(deps, { team: 'posts', name: 'Never Posted' });
    await posts.save([shown], 'slack', {
      channelId: 'CSALES',
      messageId: '1765098000.000100',
      postedAt: new Date('2026-12-07T08:59:00.123Z'),
    });
    await posts.save([shown, paged], 'lark', {
      channelId: 'oc_sales',
      messageId: 'om_burst',
      postedAt: new Date('2026-12-07T08:58:00Z'),
      burstId: 7,
    });

    const reads = { posts: 0 };
    const counted = Object.create(posts) as PrismaLeadPostStore;
    counted.find = (leadId, messenger) => {
      reads.posts++;
      return posts.find(leadId, messenger);
    };
    const cardDeps = { leads: new PrismaLeadReadModel(db.prisma), teams, posts: counted };
    for (const [leadId, rep] of [
      [shown, 'UPOSTA'],
      [paged, 'UPOSTB'],
      [unseen, 'UPOSTA'],
    ] as const) {
      const won = await claimLead(deps, { leadId, actor: slackIdentity(rep) });
      const written = won.card?.posts;
      const stored: Record<string, PostRef> = {};
      for (const messenger of ['slack', 'lark', 'web']) {
        const ref = await posts.find(leadId, messenger);
        if (ref) stored[messenger] = ref;
      }
      expect(written).toEqual(stored);
      // The card drawn from the write's answer is the card drawn from a fresh read, for each messenger.
      for (const messenger of ['slack', 'lark']) {
        reads.posts = 0;
        const fromWrite = await cardShowing(cardDeps, drawing(messenger), leadId, won.card);
        expect(reads.posts).toBe(0);
        const { posts: _, ...withoutPosts } = won.card ?? ({} as never);
        const fromRead = await cardShowing(cardDeps, drawing(messenger), leadId, withoutPosts);
        expect(reads.posts).toBe(1);
        expect(fromWrite).toEqual(fromRead);
      }
    }
    expect(Object.keys((await posts.find(shown, 'lark')) ?? {})).toContain('burstId');
  });
});
