/**
 * Through the real app: leads posted to the intake API that land in a round-robin pool get owners
 * right after intake, in turns, and each owner gets a DM with the contact details.
 */
import { describe, expect, it } from 'vitest';
import { postLead, repId, teamsYaml } from '../support/leadpool.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { until } from '../support/until.js';

const teams = teamsYaml({ reps: 3 }).replace(
  '    members:\n',
  '    pools:\n      - { id: east, name: East, match: { region: [East] }, mode: round_robin }\n      - { id: rest }\n    members:\n',
);
const suite = useSlackSuite(teams, { poolSize: 5 });

describe('a round-robin pool behind the intake API', () => {
  it('gives each new East lead to the next rep at once, with a DM carrying the contact', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await postLead(suite.app, {
        team: 'alpha',
        name: `East Lead ${i}`,
        region: 'East',
        phone: `+86138001380${10 + i}`,
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: number }).id);
    }
    const west = (
      (await (await postLead(suite.app, { team: 'alpha', name: 'West Lead', region: 'West' })).json()) as { id: number }
    ).id;
    const owners = async () =>
      (
        await suite.app.db.prisma.lead.findMany({
          where: { id: { in: ids } },
          include: { owner: true },
          orderBy: { id: 'asc' },
        })
      ).map((l) => l.owner?.displayName ?? null);
    await until(async () => !(await owners()).includes(null), 'every lead assigned');
    const got = await owners();
    expect(got.slice(0, 3).sort()).toEqual(['Rep 0', 'Rep 1', 'Rep 2']);
    expect(got.slice(3)).toEqual(got.slice(0, 3)); // the same turns again
    expect((await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: west } })).status).toBe('pooled');

    await suite.app.relay.drain();
    const dms = [0, 1, 2].flatMap((i) => suite.fake.to('chat.postMessage', repId(i)));
    const poolDms = dms.filter((c) => String(c.body.text).includes('The East pool gave you'));
    expect(poolDms).toHaveLength(6);
    // Each owner sees the whole phone number of the lead they were given (the channel card masks it).
    const contacts = poolDms.map((c) => String(c.body.text).split('\n')[1]).sort();
    expect(contacts).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Contact: +86 138 0013 80${10 + i}`));
  });
});
