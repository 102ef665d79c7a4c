import { visibleScope } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { Identity } from '../members/identity.js';
import { DomainError } from '../shared/errors.js';
import { formatLeadRef } from './lead.js';
import type { LeadReads, LeadSearch, LeadWithOwner } from './lead-store.js';

/** A lead as people name it in a command: its number, or a few words that must match one lead. */
export type LeadName = { id: number } | { search: string };

export const FIND_LIMIT = 20;
const MIN_SEARCH = 2;

/** What a search text looks for: an e-mail, the digits of a phone number, or a name or company. */
export function readSearch(text: string): LeadSearch | null {
  const trimmed = text.trim().slice(0, 100);
  if (trimmed.includes('@')) return { kind: 'email', text: trimmed.toLowerCase() };
  const digits = trimmed.replace(/[\s()+.-]/g, '');
  if (/^\d{4,15}$/.test(digits)) return { kind: 'phone', text: digits };
  return [...trimmed].length >= MIN_SEARCH ? { kind: 'text', text: trimmed } : null;
}

/** `/lead find <text>`: leads whose name, company, phone or e-mail match, among those the actor may see. */
export async function findLeads(
  store: LeadReads,
  who: Identity,
  text: string,
  limit = FIND_LIMIT,
): Promise<LeadWithOwner[]> {
  const search = readSearch(text);
  if (!search) throw new DomainError('find.too_short', { min: MIN_SEARCH });
  const scope = visibleScope(await actorOf(store, who));
  return store.searchLeads(scope, search, limit);
}

/** The id of the lead a command names; a search must match exactly one lead the actor may see. */
export async function resolveLeadName(store: LeadReads, who: Identity, name: LeadName): Promise<number> {
  if ('id' in name) return name.id;
  const found = (await findLeads(store, who, name.search, 6)).map((f) => f.lead);
  const [only] = found;
  if (found.length === 1 && only) return only.id;
  if (found.length === 0) throw new DomainError('find.no_match', { text: name.search.slice(0, 40) });
  const refs = found
    .slice(0, 5)
    .map((l) => `${formatLeadRef(l.id)} ${l.name}`)
    .join(', ');
  throw new DomainError('find.ambiguous', { text: name.search.slice(0, 40), matches: refs });
}
