import { type Identity, identity } from '../../domain/members/identity.js';

export const WEB = 'web';

/** A person on the playground, by their person key (see `personKeyOf`); one key in every team. */
export function webIdentity(personKey: string): Identity {
  return identity(WEB, 'playground', personKey);
}
