import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { claimLead } from '../../src/domain/claims/claim-lead.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { slackIdentity as slack } from '../../src/messengers/slack/identity.js';
import { createTestLead } from '../support/fixtures.js';
import { useTeamsDatabase } from '../support/teams-database.js';

const config = parseTeamsConfig(
  `teams:
  - id: cards
    name: Cards
    timezone: UTC
    claim: { dailyQuota: 10, holdingCap: 10, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
      - { name: Rep 0, slack: UCARD0 }
`,
  'cards',
);
const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'));
const teams = teamDirectory(config.teams);
const ctx = useTeamsDatabase(config, clock);

describe("a claimed lead's card, as the claim's write returns it (PostgreSQL)", () => {
  it('is the card the read model draws: its owner, and the open leads of its company', async () => {
    const deps = { store: ctx.store, teams, clock };
    const lead = (name: string, company: string) =>
      createTestLead(deps, { team: 'cards', name, company, email: `${name.replace(' ', '.')}@example.com` });
    const claimed = await lead('Ada Lovelace', 'Analytical Engines');
    const sameCompany = [
      await lead('Charles Babbage', 'Analytical Engines'),
      await lead('Mary Somerville', 'Analytical Engines'),
    ];
    await lead('Grace Hopper', 'Compilers Inc');

    const won = await claimLead(deps, { leadId: claimed, actor: slack('UCARD0') });
    const card = won.card;
    expect(card?.lead.status).toBe('owned');
    expect(card?.owner?.displayName).toBe('Rep 0');
    expect(card?.taken).toEqual({ how: 'claimed' });
    expect(card?.related).toEqual(sameCompany.map((id) => ({ id, status: 'pooled', ownerName: null })));

    const read = new PrismaLeadReadModel(ctx.db.prisma);
    const drawn = await read.cardData(claimed);
    expect(card?.related).toEqual(drawn?.related);
    // Every field the claim returned agrees with the read (which carries a few the card never uses).
    expect(drawn?.lead).toMatchObject(card?.lead ?? {});
    // From another lead of the company, the claimed one shows with its owner.
    expect((await read.cardData(sameCompany[0] as number))?.related).toEqual([
      { id: claimed, status: 'owned', ownerName: 'Rep 0' },
      { id: sameCompany[1], status: 'pooled', ownerName: null },
    ]);
  });
});
