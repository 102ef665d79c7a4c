import type { DedupKey, MatchCandidate } from './intake-store.js';

const KIND_ORDER = ['external', 'email', 'phone', 'name_company', 'name_core'] as const;

/** Keys that name one person for certain; `name_core` only suggests one, and is asked about. */
export const isExactKind = (kind: DedupKey['kind']) => kind !== 'name_core';

/** A stored lead found by one of an incoming lead's keys: every key is exact (the same e-mail, phone…). */
export interface MatchHit {
  candidate: MatchCandidate;
  on: DedupKey['kind'];
}

type KeyFields = Pick<
  MatchCandidate,
  'teamId' | 'externalId' | 'email' | 'phone' | 'nameKey' | 'companyKey' | 'coreKey'
>;

/** The keys a lead (incoming or stored) can be matched on; a name alone never matches (too many Wang Weis). */
export function dedupKeys(lead: KeyFields): DedupKey[] {
  const keys: DedupKey[] = [];
  const add = (kind: DedupKey['kind'], value: string | null) => {
    if (value) keys.push({ teamId: lead.teamId, kind, value });
  };
  add('external', lead.externalId);
  add('email', lead.email);
  add('phone', lead.phone);
  if (lead.companyKey && lead.nameKey) add('name_company', `${lead.nameKey}|${lead.companyKey}`);
  if (lead.coreKey && lead.nameKey) add('name_core', `${lead.nameKey}|${lead.coreKey}`);
  return keys;
}

export function keyString(key: DedupKey): string {
  return `${key.teamId}\u001f${key.kind}\u001f${key.value}`;
}

/** Index of candidates by key; a candidate appears under every key it has. */
export class MatchIndex {
  private readonly byKey = new Map<string, MatchCandidate[]>();

  add(candidate: MatchCandidate): void {
    for (const key of dedupKeys(candidate)) {
      const k = keyString(key);
      const list = this.byKey.get(k);
      if (list) list.push(candidate);
      else this.byKey.set(k, [candidate]);
    }
  }

  /**
   * Candidates sharing a key with `keys`, strongest key kind first, oldest lead first within a
   * kind, each with the strongest key it was found by.
   */
  matches(keys: readonly DedupKey[]): MatchHit[] {
    const seen = new Set<number>();
    const out: MatchHit[] = [];
    for (const kind of KIND_ORDER) {
      for (const key of keys.filter((k) => k.kind === kind)) {
        const found = [...(this.byKey.get(keyString(key)) ?? [])].sort((a, b) => a.id - b.id);
        for (const candidate of found) {
          if (!seen.has(candidate.id)) {
            seen.add(candidate.id);
            out.push({ candidate, on: kind });
          }
        }
      }
    }
    return out;
  }
}
