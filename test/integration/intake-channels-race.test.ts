/**
 * The same person sent at once through the API, the batch API and a CSV import, typed a different
 * way each time (every copy carries the phone, in its own format), on PostgreSQL: one lead,
 * everything else merged into it or recognised as a repeat, whichever copy got there first.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { withFlags } from '../../src/importer/column-mapping.js';
import { importCsv } from '../../src/importer/import-csv.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { useAppSuite } from '../support/app-suite.js';
import { INTAKE_KEY, postLead, teamsYaml } from '../support/leadpool.js';

const teams = teamsYaml().replace('    members:\n', '    intake: { defaultRegion: CN }\n    members:\n');
const suite = useAppSuite({ poolSize: 20, teams });
const dir = mkdtempSync(join(tmpdir(), 'leadpool-race-'));

const batch = (leads: unknown[]) =>
  fetch(`${suite.app.url}/api/leads/batch`, {
    method: 'POST',
    headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ leads }),
  });

describe('one person through every way in at once', () => {
  it('ends as one lead, whichever way wins', async () => {
    const config = parseTeamsConfig(teams, 'race');
    for (let round = 0; round < 5; round++) {
      const mobile = `1390000${String(1000 + round)}`;
      const email = `zhou.${round}@gamma.example`;
      const csv = join(dir, `round-${round}.csv`);
      writeFileSync(
        csv,
        ['姓名,公司,手机,邮箱', `周九,Gamma Ltd.,${mobile},`, `Zhou Jiu,"Gamma, Inc.",+86 ${mobile},${email}`].join(
          '\n',
        ),
      );
      const sent = await Promise.all([
        postLead(suite.app, { team: 'alpha', name: '周九', phone: mobile }),
        postLead(suite.app, { team: 'alpha', name: 'ZHOU Jiu', phone: `(+86) ${mobile}`, email: email.toUpperCase() }),
        postLead(suite.app, { team: 'alpha', name: '周 九', phone: `+86-${mobile}`, email }),
        batch([
          { team: 'alpha', name: 'Zhou, Jiu', phone: `0086 ${mobile}` },
          { team: 'alpha', name: '周九', company: 'Gamma', phone: mobile, email },
        ]),
        importCsv(
          {
            store: new PrismaLeadStore(suite.app.db.prisma),
            teams: teamDirectory(config.teams),
            sources: config.sources,
            clock: systemClock,
          },
          {
            file: csv,
            mapping: withFlags(null, ['name=姓名', 'company=公司', 'phone=手机', 'email=邮箱'], 'alpha'),
            errorsPath: join(dir, `round-${round}.errors.csv`),
            postCards: false,
          },
        ),
      ]);
      for (const res of sent.slice(0, 4)) expect((res as Response).status).toBeLessThan(300);
      const rows = await suite.app.db.prisma.lead.findMany({
        where: { OR: [{ phone: `+86${mobile}` }, { email }] },
        select: { id: true, status: true, duplicateOfId: true },
      });
      // Most copies differ, so they are stored and merged; exact repeats are not stored at all.
      expect(rows.length).toBeGreaterThan(3);
      const open = rows.filter((r) => r.status === 'pooled');
      expect(open).toHaveLength(1);
      const survivor = open[0]?.id;
      expect(rows.filter((r) => r.status === 'merged').every((r) => r.duplicateOfId === survivor)).toBe(true);
    }
  });
});
