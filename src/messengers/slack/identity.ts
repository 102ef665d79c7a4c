import { ANY_TENANT, type Identity, identity } from '../../domain/members/identity.js';

export const SLACK = 'slack';

/** A Slack user as the domain knows them: the workspace (team id) and the user id. */
export function slackIdentity(userId: string, workspaceId?: string | null): Identity {
  return identity(SLACK, workspaceId ?? ANY_TENANT, userId);
}
