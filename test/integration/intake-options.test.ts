/**
 * A team's intake options, over HTTP on PostgreSQL. Phones without a country code, for a team whose
 * leads come from several regions: read in the one region where the number is valid (and the
 * answer and the card say so), or kept as typed with a warning when it could be several; never
 * refused for it, never guessed silently. Gmail aliases of one mailbox, when the team folds them.
 */
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { PrismaLeadReadModel } from '../../src/infra/db/lead-read.repository.js';
import { presentLeadCard } from '../../src/messengers/shared/presenters/lead-card.presenter.js';
import { useAppSuite } from '../support/app-suite.js';
import { postLead, teamsYaml } from '../support/leadpool.js';

const teams = teamsYaml().replace(
  '    members:\n',
  '    intake: { defaultRegion: SG, alsoRegions: [HK, CN], foldEmailAliases: true }\n    members:\n',
);
const suite = useAppSuite({ teams });

type Answer = {
  id: number;
  outcome: string;
  status?: string;
  warnings?: Record<string, string[]>;
  fields?: Record<string, string[]>;
  possibleDuplicateOf?: { id: number };
  match?: { on: string; certainty: string };
};
const intake = async (name: string, phone: string) => {
  const res = await postLead(suite.app, { team: 'alpha', name, phone });
  return { status: res.status, body: (await res.json()) as Answer };
};
const stored = (id: number) => suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } });

describe('phones from the team’s other regions', () => {
  it('reads a number valid only in another accepted region there, and says so', async () => {
    const { status, body } = await intake('Chan Tai Man', '13800138000');
    expect(status).toBe(201);
    expect(body.warnings).toEqual({
      phone: ['read as a number of CN: without a country code it is not valid in the team region'],
    });
    expect((await stored(body.id)).phone).toBe('+8613800138000');
  });

  it('reads a number valid at home at home even when it would be a mobile of another region too', async () => {
    // 9123 4567 is a Singapore number and would be a Hong Kong mobile: home wins, as the README says.
    const { status, body } = await intake('Tan Wei Ming', '9123 4567');
    expect(status).toBe(201);
    expect(body.warnings).toBeUndefined();
    expect((await stored(body.id)).phone).toBe('+6591234567');
  });

  it('reads a number valid at home at home, with no warning, and keeps one valid nowhere as typed', async () => {
    const home = await intake('Lim Ah Kow', '8123 4567');
    expect(home.body.warnings).toBeUndefined();
    expect((await stored(home.body.id)).phone).toBe('+6581234567');
    const bad = await intake('Nobody', '1234 5');
    expect(bad.status).toBe(201);
    expect((await stored(bad.body.id)).phone).toBe('1234 5');
    // It says where a number without a country code was read, and how to write it instead.
    expect(bad.body.warnings?.phone).toEqual([
      'kept as typed: not a valid phone number of SG, where numbers without a country code are read; add the country code (numbers of SG start +65)',
    ]);
  });
});

describe('the same digits as another accepted region reads them', () => {
  it("asks about a stored lead whose number is the home number's other reading, both ways, never merging", async () => {
    // 9234 5678 is a Singapore mobile at home, and a Hong Kong mobile as Hong Kong writes it.
    const hk = await intake('Chan Siu Ming', '+852 9234 5678');
    const sg = await intake('Chan Siu-ming', '9234 5678');
    expect(sg.body).toMatchObject({
      outcome: 'created',
      status: 'pooled',
      possibleDuplicateOf: { id: hk.body.id },
      match: { on: 'phone_alt', certainty: 'possible' },
    });
    expect(await stored(sg.body.id)).toMatchObject({ phone: '+6592345678' });
    const readings = await suite.app.db.prisma.leadPhoneReading.findMany({ where: { leadId: sg.body.id } });
    expect(readings.map((r) => r.phone)).toEqual(['+85292345678']);
    // The other way round: a stored home reading is found by the other region's number (its reading table).
    const home = await intake('Lee Ka Yan', '9345 6789');
    const abroad = await intake('Lee Ka-yan', '+852 9345 6789');
    expect(abroad.body).toMatchObject({
      outcome: 'created',
      possibleDuplicateOf: { id: home.body.id },
      match: { on: 'phone_alt', certainty: 'possible' },
    });
    // The card says why only possibly.
    const card = await new PrismaLeadReadModel(suite.app.db.prisma).cardData(abroad.body.id);
    const alpha = teamDirectory(parseTeamsConfig(teams, 'test').teams).find('alpha');
    if (!card || !alpha) throw new Error('no card');
    expect(presentLeadCard(card, alpha).notes.slice(0, 2)).toEqual([
      `May be the same person as L-${home.body.id}; nothing was merged. Check it before you work this lead.`,
      "Recognised by the same digits read as another region's number (only possibly the same).",
    ]);
  });
});

describe('Gmail aliases, for a team that folds them', () => {
  it('stores one address for a mailbox, so its dotted and +tag forms are one person', async () => {
    const first = (await (
      await postLead(suite.app, { team: 'alpha', name: 'Joe Bloggs', email: 'joe.bloggs@gmail.com' })
    ).json()) as Answer;
    const alias = (await (
      await postLead(suite.app, { team: 'alpha', name: 'J. Bloggs', email: 'J.O.E.Bloggs+crm@googlemail.com' })
    ).json()) as Answer & { duplicateOf?: { id: number }; match?: { on: string } };
    expect(alias).toMatchObject({ outcome: 'merged', duplicateOf: { id: first.id }, match: { on: 'email' } });
    expect((await stored(first.id)).email).toBe('joebloggs@gmail.com');
  });
});
