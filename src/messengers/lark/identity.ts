import { type Identity, identity } from '../../domain/members/identity.js';

export const LARK = 'lark';

/** A Lark user as the domain knows them: open_id is per app, so it is stored with the app id. */
export function larkIdentity(openId: string, appId: string): Identity {
  return identity(LARK, appId, openId);
}
