import { randomUUID } from 'node:crypto';
import type { TeamsConfig } from '../../config/teams-config.js';
import type { PrismaClient } from '../../generated/prisma/client.js';

export interface TeamSyncResult {
  teams: number;
  members: number;
  deactivated: number;
}

/**
 * Makes the team and member rows match the config file. Members who left the file are marked
 * inactive rather than deleted, so their history stays. Upserts are single statements, so several
 * instances starting at once do not trip over each other.
 */
export async function syncTeams(prisma: PrismaClient, config: TeamsConfig, now: Date): Promise<TeamSyncResult> {
  return prisma.$transaction(
    async (tx) => {
      for (const team of config.teams) {
        await tx.$executeRaw`
        INSERT INTO team (id, name, timezone, updated_at) VALUES (${team.id}, ${team.name}, ${team.timeZone}, ${now})
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, timezone = EXCLUDED.timezone, updated_at = EXCLUDED.updated_at`;
      }
      for (const m of config.members) {
        await tx.$executeRaw`
        INSERT INTO member (id, team_id, slack_user_id, display_name, role, locale, active, updated_at)
        VALUES (${randomUUID()}::uuid, ${m.teamId}, ${m.slackUserId}, ${m.displayName}, ${m.role}, ${m.locale}, ${m.active}, ${now})
        ON CONFLICT (team_id, slack_user_id) DO UPDATE SET display_name = EXCLUDED.display_name, role = EXCLUDED.role,
          locale = EXCLUDED.locale, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at`;
      }
      const keep = config.members.map((m) => `${m.teamId}\u001f${m.slackUserId}`);
      const deactivated = await tx.$executeRaw`
      UPDATE member SET active = false, updated_at = ${now}
       WHERE active AND (team_id || chr(31) || coalesce(slack_user_id, '')) <> ALL(${keep}::text[])`;
      return { teams: config.teams.length, members: config.members.length, deactivated };
    },
    { maxWait: 20_000, timeout: 30_000 },
  );
}
