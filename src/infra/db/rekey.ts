import { companyKey } from '../../domain/intake/company-key.js';
import { looseNameKey, nameKey } from '../../domain/intake/name-key.js';
import { MATCH_KEYS_VERSION } from '../../domain/intake/normalize.js';
import { matchCore } from '../../domain/intake/prepare-lead.js';
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../logger.js';

const BATCH = 2_000;

/**
 * Brings the match keys of leads stored under an older version of them up to date, in batches by
 * id, so a million leads never sit in one transaction. Safe to run on several instances at once
 * (each batch writes what the keys are, whoever writes it); until it is done, a repeat of a lead
 * not yet re-keyed may be missed by the name and company key, never matched wrongly. Customers'
 * company keys follow, where the new key is not another customer's already.
 */
export async function rekeyLeads(
  prisma: PrismaClient,
  log: Logger,
  /** Asked between batches: a stopping process ends after the batch in hand (the next start goes on). */
  stopping: () => boolean = () => false,
): Promise<{ leads: number; customers: number }> {
  let cursor = 0;
  let leads = 0;
  while (!stopping()) {
    const rows = await prisma.$queryRaw<{ id: number; name: string; company: string | null }[]>`
      SELECT id, name, company FROM lead WHERE id > ${cursor} AND keys_version < ${MATCH_KEYS_VERSION}
       ORDER BY id LIMIT ${BATCH}`;
    if (rows.length === 0) break;
    const companies = rows.map((r) => (r.company ? companyKey(r.company) : null));
    await prisma.$executeRaw`
      UPDATE lead l SET name_key = x.n, company_key = x.c, core_key = x.k, loose_key = x.l,
                        keys_version = ${MATCH_KEYS_VERSION}
        FROM unnest(${rows.map((r) => r.id)}::int[], ${rows.map((r) => nameKey(r.name))}::text[],
                    ${companies}::text[], ${companies.map(matchCore)}::text[],
                    ${rows.map((r) => looseNameKey(r.name))}::text[]) AS x(id, n, c, k, l)
       WHERE l.id = x.id`;
    leads += rows.length;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    if (leads % (BATCH * 25) === 0) log.info('re-keying leads for matching', { leads });
  }
  const customers = leads > 0 && !stopping() ? await rekeyCustomers(prisma) : 0;
  return { leads, customers };
}

/** One at a time: two customers whose keys now coincide keep the first one's, and the other its old key. */
async function rekeyCustomers(prisma: PrismaClient): Promise<number> {
  const rows = await prisma.$queryRaw<{ id: number; name: string }[]>`SELECT id, name FROM customer ORDER BY id`;
  let changed = 0;
  for (const row of rows) {
    const key = companyKey(row.name);
    changed += await prisma.$executeRaw`
      UPDATE customer c SET company_key = ${key}
       WHERE c.id = ${row.id} AND c.company_key IS DISTINCT FROM ${key}
         AND NOT EXISTS (SELECT 1 FROM customer o WHERE o.team_id = c.team_id AND o.company_key = ${key} AND o.id <> c.id)`;
  }
  return changed;
}
