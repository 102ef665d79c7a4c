import type { DedupKey, MatchCandidate } from './intake-store.js';

const KIND_ORDER = ['external', 'email', 'phone', 'name_company'] as const;

type KeyFields = Pick<MatchCandidate, 'teamId' | 'externalId' | 'email' | 'phone' | 'nameKey' | 'companyKey'>;

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

  /** Candidates sharing a key with `keys`, strongest key kind first, oldest lead first within a kind. */
  matches(keys: readonly DedupKey[]): MatchCandidate[] {
    const seen = new Set<number>();
    const out: MatchCandidate[] = [];
    for (const kind of KIND_ORDER) {
      for (const key of keys.filter((k) => k.kind === kind)) {
        const found = [...(this.byKey.get(keyString(key)) ?? [])].sort((a, b) => a.id - b.id);
        for (const c of found) {
          if (!seen.has(c.id)) {
            seen.add(c.id);
            out.push(c);
          }
        }
      }
    }
    return out;
  }
}
