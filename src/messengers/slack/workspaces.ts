import { webApi } from '@slack/bolt';
import { DeliveryDeferred } from '../../domain/notifications/notification-sink.js';
import type { Logger } from '../../infra/logger.js';
import type { SlackInstallationStore } from './installation-store.js';

/**
 * The Web API client to send with in a workspace. With one bot token (SLACK_BOT_TOKEN) every
 * workspace is that token's; with the install flow each workspace sends with its own installation's
 * token, and a workspace that has not installed Leadpool gets nothing.
 */
export interface SlackClients {
  /** The client for a workspace (`''` when the team names none). */
  for(workspace: string): Promise<webApi.WebClient>;
  /** Forgets what is remembered of a workspace (or an organisation; of all, without one): it was uninstalled, or its token refused. */
  forget(workspaceOrOrg?: string): void;
}

/** Slack's answers to a token that is no longer good: the installation behind it is read again. */
const TOKEN_GONE = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export function isTokenGone(error: unknown): boolean {
  const data = (error as { code?: string; data?: { error?: string } }).data;
  return (error as { code?: string }).code === webApi.ErrorCode.PlatformError && TOKEN_GONE.has(data?.error ?? '');
}

export class SingleWorkspace implements SlackClients {
  constructor(private readonly client: webApi.WebClient) {}

  async for(): Promise<webApi.WebClient> {
    return this.client;
  }

  forget(): void {}
}

/** How long a workspace's token (or an organisation's list of workspaces) is trusted before it is read again. */
const REMEMBER_MS = 60_000;
/** A card or DM for a workspace with no installation waits this long before it is tried again. */
export const NOT_INSTALLED_WAIT_MS = 30_000;

interface Remembered<T> {
  value: T;
  until: number;
}

/**
 * Each workspace's client, from its installation: its own, or its Enterprise Grid organisation's
 * (an org-wide install serves the workspaces Slack lists for it in auth.teams.list). Tokens are read
 * from the database at most once a minute per workspace; an uninstall forgets them at once here and
 * within a minute on other instances.
 */
export class InstalledWorkspaces implements SlackClients {
  private readonly clients = new Map<string, Remembered<webApi.WebClient | null>>();
  private readonly orgWorkspaces = new Map<string, Remembered<ReadonlySet<string>>>();

  constructor(
    private readonly store: SlackInstallationStore,
    private readonly clientWith: (token: string) => webApi.WebClient,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async for(workspace: string): Promise<webApi.WebClient> {
    if (!workspace)
      throw new Error(
        'this team names no Slack workspace: with the install flow each team says which (slack: { channel, workspace })',
      );
    const remembered = this.clients.get(workspace);
    const client =
      remembered && remembered.until > this.now()
        ? remembered.value
        : await this.remember(workspace, this.find(workspace));
    if (!client)
      throw new DeliveryDeferred(NOT_INSTALLED_WAIT_MS, `Slack workspace ${workspace} has not installed Leadpool`);
    return client;
  }

  forget(workspaceOrOrg?: string): void {
    if (!workspaceOrOrg) {
      this.clients.clear();
      this.orgWorkspaces.clear();
      return;
    }
    this.clients.delete(workspaceOrOrg);
    this.orgWorkspaces.delete(workspaceOrOrg);
    // An organisation's workspaces were served by its token: read them all again.
    if (workspaceOrOrg.startsWith('E')) this.clients.clear();
  }

  private async remember(workspace: string, found: Promise<webApi.WebClient | null>) {
    const value = await found;
    if (!value) this.log.warn('Slack workspace has no installation: its messages wait', { workspace });
    this.clients.set(workspace, { value, until: this.now() + REMEMBER_MS });
    return value;
  }

  private async find(workspace: string): Promise<webApi.WebClient | null> {
    const own = await this.store.botTokenOf({ teamId: workspace });
    if (own) return this.clientWith(own);
    for (const org of await this.store.organisations()) {
      const token = await this.store.botTokenOf({ enterpriseId: org });
      if (token && (await this.workspacesOf(org, token)).has(workspace)) return this.clientWith(token);
    }
    return null;
  }

  /** The workspaces an organisation's org-wide install has been granted, as Slack lists them. */
  private async workspacesOf(org: string, token: string): Promise<ReadonlySet<string>> {
    const remembered = this.orgWorkspaces.get(org);
    if (remembered && remembered.until > this.now()) return remembered.value;
    const client = this.clientWith(token);
    const ids = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await client.auth.teams.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const team of page.teams ?? []) if (team.id) ids.add(team.id);
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    this.orgWorkspaces.set(org, { value: ids, until: this.now() + REMEMBER_MS });
    return ids;
  }
}
