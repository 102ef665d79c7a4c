import type { DedupKey, MatchCandidate } from './intake-store.js';
import type { PreparedLead } from './prepare-lead.js';

const KIND_ORDER = ['external', 'email', 'phone', 'name_company'] as const;

/** The keys a lead can be matched on; a name alone never matches (too many Wang Weis). */
export function dedupKeys(lead: PreparedLead): DedupKey[] {
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

export function candidateKeys(c: MatchCandidate): DedupKey[] {
  const keys: DedupKey[] = [];
  if (c.externalId) keys.push({ teamId: c.teamId, kind: 'external', value: c.externalId });
  if (c.email) keys.push({ teamId: c.teamId, kind: 'email', value: c.email });
  if (c.phone) keys.push({ teamId: c.teamId, kind: 'phone', value: c.phone });
  if (c.companyKey && c.nameKey)
    keys.push({ teamId: c.teamId, kind: 'name_company', value: `${c.nameKey}|${c.companyKey}` });
  return keys;
}

/** Index of candidates by key; a candidate appears under every key it has. */
export class MatchIndex {
  private readonly byKey = new Map<string, MatchCandidate[]>();

  add(candidate: MatchCandidate): void {
    for (const key of candidateKeys(candidate)) {
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
