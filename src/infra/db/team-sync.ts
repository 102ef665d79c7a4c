import { randomUUID } from 'node:crypto';
import { type MemberConfig, personKeyOf, type TeamsConfig } from '../../config/teams-config.js';
import { MESSENGERS } from '../../config/teams-schema.js';
import { ANY_TENANT } from '../../domain/members/identity.js';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';

export interface TeamSyncResult {
  teams: number;
  members: number;
  deactivated: number;
}

/**
 * The workspace or app each messenger's ids in the file belong to, unless the team names its own
 * (a Slack team's `workspace`); unknown ones match any tenant.
 */
export type Tenants = Partial<Record<string, string>>;

type Tx = Prisma.TransactionClient;

interface IdentityRow {
  messenger: string;
  tenant: string;
  externalId: string;
}

/** The member's identity on each messenger the file names, and on the playground (`web`), by their person key. */
function identitiesOf(member: MemberConfig, tenants: Tenants): IdentityRow[] {
  const listed = MESSENGERS.flatMap((messenger) => {
    const externalId = member.ids[messenger];
    const tenant = member.tenants[messenger] ?? tenants[messenger] ?? ANY_TENANT;
    return externalId ? [{ messenger, tenant, externalId }] : [];
  });
  return [...listed, { messenger: WEB_MESSENGER, tenant: ANY_TENANT, externalId: personKeyOf(member) }];
}

/** The playground's messenger name, as its identities are stored. */
export const WEB_MESSENGER = 'web';

/**
 * Makes the team, member and identity rows match the config file. A member is found by any of its
 * identities, so adding a Lark id to a Slack member keeps one member (one quota, one set of leads).
 * Members who left the file are marked inactive rather than deleted, so their history stays. An
 * advisory lock serialises instances starting at once.
 */
export async function syncTeams(
  prisma: PrismaClient,
  config: TeamsConfig,
  now: Date,
  tenants: Tenants = {},
): Promise<TeamSyncResult> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${TEAM_SYNC_LOCK}))`;
      return syncTeamsIn(tx, config, now, tenants);
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
}

/** As `syncTeams`, inside a transaction that already holds the team-sync lock. */
export async function syncTeamsIn(
  tx: Tx,
  config: TeamsConfig,
  now: Date,
  tenants: Tenants = {},
): Promise<TeamSyncResult> {
  for (const team of config.teams) {
    await tx.$executeRaw`
        INSERT INTO team (id, name, timezone, updated_at) VALUES (${team.id}, ${team.name}, ${team.timeZone}, ${now})
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at`;
  }
  const kept: string[] = [];
  for (const m of config.members) kept.push(await syncMember(tx, m, identitiesOf(m, tenants), now));
  const deactivated = await tx.$executeRaw`
      UPDATE member SET active = false, updated_at = ${now} WHERE active AND id <> ALL(${kept}::uuid[])`;
  return { teams: config.teams.length, members: config.members.length, deactivated };
}

export const TEAM_SYNC_LOCK = 'leadpool:team-sync';

async function syncMember(tx: Tx, m: MemberConfig, identities: IdentityRow[], now: Date): Promise<string> {
  // Found by the ids the file gives; the playground's key is derived from them, not evidence of its own.
  const listed = identities.filter((i) => i.messenger !== WEB_MESSENGER);
  const pairs = listed.map((i) => Prisma.sql`(${i.messenger}, ${i.externalId})`);
  const [found] = await tx.$queryRaw<{ id: string }[]>`
    SELECT member_id::text AS id FROM member_identity
     WHERE team_id = ${m.teamId} AND (messenger, external_id) IN (${Prisma.join(pairs)})
     ORDER BY messenger DESC LIMIT 1`; // two matches (people joined in the file): the Slack one, the older data, stays
  const id = found?.id ?? randomUUID();
  await tx.$executeRaw`
    INSERT INTO member (id, team_id, display_name, role, locale, time_zone, active, updated_at)
    VALUES (${id}::uuid, ${m.teamId}, ${m.displayName}, ${m.role}, ${m.locale}, ${m.timeZone}, ${m.active}, ${now})
    ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
      locale = EXCLUDED.locale, time_zone = EXCLUDED.time_zone, active = EXCLUDED.active,
      updated_at = EXCLUDED.updated_at`;
  // The file is the truth: this member's identities become exactly the listed ones. An identity
  // listed here but held by another member (two people merged into one) moves to this one.
  await tx.$executeRaw`
    DELETE FROM member_identity WHERE member_id = ${id}::uuid
       AND (messenger, tenant, external_id) NOT IN (${Prisma.join(identities.map((i) => Prisma.sql`(${i.messenger}, ${i.tenant}, ${i.externalId})`))})`;
  for (const i of identities) {
    await tx.$executeRaw`
      DELETE FROM member_identity WHERE team_id = ${m.teamId} AND messenger = ${i.messenger}
         AND external_id = ${i.externalId} AND tenant <> ${i.tenant}`;
    await tx.$executeRaw`
      INSERT INTO member_identity (team_id, messenger, tenant, external_id, member_id)
      VALUES (${m.teamId}, ${i.messenger}, ${i.tenant}, ${i.externalId}, ${id}::uuid)
      ON CONFLICT (team_id, messenger, tenant, external_id) DO UPDATE SET member_id = EXCLUDED.member_id`;
  }
  return id;
}
