/**
 * Leads stored under the old match keys are re-keyed at start: afterwards a repeat typed the new
 * ways (family name first, traditional characters, a bracketed region) finds them.
 */
import { describe, expect, it } from 'vitest';
import { MATCH_KEYS_VERSION } from '../../src/domain/intake/normalize.js';
import { rekeyLeads } from '../../src/infra/db/rekey.js';
import { createLogger } from '../../src/infra/logger.js';
import { useAppSuite } from '../support/app-suite.js';
import { postLead } from '../support/leadpool.js';

const suite = useAppSuite();

const json = async (res: Response) =>
  (await res.json()) as { id: number; outcome: string; duplicateOf?: { id: number } };

describe('re-keying stored leads', () => {
  it('brings old keys up to date in batches, and repeats typed the new ways then match', async () => {
    const first = await json(
      await postLead(suite.app, { team: 'alpha', name: 'Li Lei', company: '上海云帆科技有限公司' }),
    );
    const second = await json(
      await postLead(suite.app, { team: 'alpha', name: '陳偉', company: '瑞豐科技（深圳）有限公司' }),
    );
    // As an older version stored them: keys without the new folding, and version 1.
    await suite.app.db.prisma
      .$executeRaw`UPDATE lead SET name_key = 'lilei', company_key = '上海云帆科技', keys_version = 1 WHERE id = ${first.id}`;
    await suite.app.db.prisma
      .$executeRaw`UPDATE lead SET name_key = '陳偉', company_key = '瑞豐科技(深圳)', keys_version = 1 WHERE id = ${second.id}`;
    const customer = await suite.app.db.prisma.customer.create({
      data: { teamId: 'alpha', name: 'Globex G.m.b.H.', companyKey: 'globexgmbh', createdAt: new Date() },
    });

    // A stopping process leaves it for the next start.
    expect(
      await rekeyLeads(
        suite.app.db.prisma,
        createLogger('info', () => {}),
        () => true,
      ),
    ).toEqual({
      leads: 0,
      customers: 0,
    });
    expect((await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: first.id } })).keysVersion).toBe(1);

    const lines: string[] = [];
    expect(
      await rekeyLeads(
        suite.app.db.prisma,
        createLogger('info', (l) => lines.push(l)),
      ),
    ).toEqual({ leads: 2, customers: 1 });
    const rows = await suite.app.db.prisma.lead.findMany({
      where: { id: { in: [first.id, second.id] } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.nameKey, r.companyKey, r.keysVersion])).toEqual([
      ['leili', '云帆科技', MATCH_KEYS_VERSION],
      ['陈伟', '瑞丰科技', MATCH_KEYS_VERSION],
    ]);
    expect((await suite.app.db.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).companyKey).toBe(
      'globex',
    );
    // Nothing left to do: a second run touches nothing.
    expect(
      await rekeyLeads(
        suite.app.db.prisma,
        createLogger('info', () => {}),
      ),
    ).toEqual({ leads: 0, customers: 0 });

    const repeat = await json(await postLead(suite.app, { team: 'alpha', name: 'LI, Lei', company: '云帆科技' }));
    expect(repeat).toMatchObject({ outcome: 'merged', duplicateOf: { id: first.id } });
    const traditional = await json(
      await postLead(suite.app, { team: 'alpha', name: '陈 伟', company: '深圳市瑞丰科技有限公司' }),
    );
    expect(traditional).toMatchObject({ outcome: 'merged', duplicateOf: { id: second.id } });
  });
});
