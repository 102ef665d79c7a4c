/**
 * Who someone is on one messenger. `messenger` names the adapter; `tenant` is the workspace or app
 * the id belongs to (ids are only unique inside it); `externalId` is the messenger's user id. The
 * domain never looks inside: it only resolves an identity to the member of a team.
 */
export interface Identity {
  readonly messenger: string;
  readonly tenant: string;
  readonly externalId: string;
}

/** A tenant of '' on a stored identity matches any tenant: the teams file need not know workspace ids. */
export const ANY_TENANT = '';

export function identity(messenger: string, tenant: string, externalId: string): Identity {
  return Object.freeze({ messenger, tenant, externalId });
}
