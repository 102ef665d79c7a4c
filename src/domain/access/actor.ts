import type { Member } from '../leads/lead.js';
import type { Identity } from '../members/identity.js';
import type { Actor } from './access-policy.js';

/** Anything that can list a person's memberships: a transaction or the store. */
export interface MembershipReader {
  membershipsOf(who: Identity): Promise<Member[]>;
}

/** The person behind a messenger identity, with all their memberships, for the access policy. */
export async function actorOf(reader: MembershipReader, who: Identity): Promise<Actor> {
  return { memberships: await reader.membershipsOf(who) };
}
