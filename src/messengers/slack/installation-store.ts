import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { PrismaInstallationRows } from '../../infra/db/slack-installation.repository.js';

const orgKey = (enterpriseId: string) => `E:${enterpriseId}`;
const workspaceKey = (teamId: string) => `T:${teamId}`;

/**
 * Bolt's installation store over the database's sealed rows: one per workspace, or per Enterprise
 * Grid organisation for an org-wide install. A workspace of an organisation that installed the app
 * org-wide is served by the organisation's row unless it has its own.
 */
export class SlackInstallationStore implements InstallationStore {
  constructor(private readonly rows: PrismaInstallationRows) {}

  async storeInstallation(installation: Installation): Promise<void> {
    const org = installation.isEnterpriseInstall === true;
    const key =
      org && installation.enterprise
        ? orgKey(installation.enterprise.id)
        : installation.team
          ? workspaceKey(installation.team.id)
          : null;
    if (!key) throw new Error('a Slack installation names neither its workspace nor its organisation');
    await this.rows.put(
      {
        key,
        teamId: org ? null : (installation.team?.id ?? null),
        enterpriseId: installation.enterprise?.id ?? null,
        isEnterpriseInstall: org,
      },
      JSON.stringify(installation),
    );
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation> {
    const keys = candidateKeys(query);
    const found = await this.rows.first(keys);
    if (!found) throw new Error(`no Slack installation for ${keys.join(' or ')}`);
    return JSON.parse(found.content) as Installation;
  }

  /** The bot token of a workspace's own install, or of an organisation's org-wide install; null when there is none. */
  async botTokenOf(where: { teamId: string } | { enterpriseId: string }): Promise<string | null> {
    const key = 'teamId' in where ? workspaceKey(where.teamId) : orgKey(where.enterpriseId);
    const found = await this.rows.first([key]);
    return found ? ((JSON.parse(found.content) as Installation).bot?.token ?? null) : null;
  }

  /** The organisations that installed the app org-wide. */
  async organisations(): Promise<string[]> {
    return this.rows.organisations();
  }

  /** The app was uninstalled, or its tokens revoked: the tokens are forgotten. */
  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const [own] = candidateKeys(query);
    if (own) await this.rows.remove(own);
  }
}

/** The rows that may serve a request: the workspace's own install first, then its organisation's. */
function candidateKeys(query: InstallationQuery<boolean>): string[] {
  if (query.isEnterpriseInstall && query.enterpriseId) return [orgKey(query.enterpriseId)];
  return [
    ...(query.teamId ? [workspaceKey(query.teamId)] : []),
    ...(query.enterpriseId ? [orgKey(query.enterpriseId)] : []),
  ];
}
