import type { DedupKey, MatchCandidate } from './intake-store.js';
import { isE164, isEmailAddress, phoneKindOf } from './normalize.js';

const KIND_ORDER = ['external', 'email', 'phone', 'name_company', 'name_core'] as const;

/** A stored lead found by one of an incoming lead's keys, and how sure that is. */
export interface MatchHit {
  candidate: MatchCandidate;
  on: DedupKey['kind'];
  /**
   * Exact: the same person for certain (the same mailbox, mobile, external id, or office line and
   * name, or name and company); may merge. Possible: asked about, never merged.
   */
  certainty: 'exact' | 'possible';
}

type KeyFields = Pick<
  MatchCandidate,
  'teamId' | 'externalId' | 'email' | 'phone' | 'phoneExt' | 'nameKey' | 'companyKey' | 'coreKey' | 'looseKey'
>;

/**
 * The keys a lead (incoming or stored) can be matched on; a name alone never matches (too many
 * Wang Weis), and a value kept as typed (not an address, not a number that could be read) never does.
 */
export function dedupKeys(lead: KeyFields): DedupKey[] {
  const keys: DedupKey[] = [];
  const add = (kind: DedupKey['kind'], value: string | null) => {
    if (value) keys.push({ teamId: lead.teamId, kind, value });
  };
  add('external', lead.externalId);
  if (lead.email && isEmailAddress(lead.email)) add('email', lead.email);
  // An office line is found by its number whatever the extension: a switchboard is asked about.
  if (lead.phone && isE164(lead.phone)) add('phone', lead.phone);
  if (lead.companyKey && lead.nameKey) add('name_company', `${lead.nameKey}|${lead.companyKey}`);
  if (lead.coreKey && lead.looseKey) add('name_core', `${lead.looseKey}|${lead.coreKey}`);
  return keys;
}

/**
 * How sure a shared key makes two leads one person. A mobile number is one person's; a fixed line
 * (or a number that may be either) is a family's or an office's: it names the person only with
 * the same extension and the same name, and is otherwise a question. A name at a company of the
 * same core, folded looser, is always a question.
 */
export function certaintyOf(
  kind: DedupKey['kind'],
  lead: Pick<KeyFields, 'phone' | 'phoneExt' | 'nameKey'>,
  candidate: MatchCandidate,
): MatchHit['certainty'] {
  if (kind === 'name_core') return 'possible';
  if (kind !== 'phone' || !lead.phone || phoneKindOf(lead.phone) === 'mobile') return 'exact';
  const sameLine = (lead.phoneExt ?? null) === (candidate.phoneExt ?? null);
  return sameLine && lead.nameKey === candidate.nameKey ? 'exact' : 'possible';
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
   * Candidates sharing a key with `lead`'s keys: exact ones before possible ones, then by the
   * strength of the key kind, oldest lead first within a kind; each with its surest key.
   */
  matches(keys: readonly DedupKey[], lead: Pick<KeyFields, 'phone' | 'phoneExt' | 'nameKey'>): MatchHit[] {
    const best = new Map<number, MatchHit>();
    const order: MatchHit[] = [];
    for (const kind of KIND_ORDER) {
      for (const key of keys.filter((k) => k.kind === kind)) {
        const found = [...(this.byKey.get(keyString(key)) ?? [])].sort((a, b) => a.id - b.id);
        for (const candidate of found) {
          const hit: MatchHit = { candidate, on: kind, certainty: certaintyOf(kind, lead, candidate) };
          const earlier = best.get(candidate.id);
          if (!earlier) {
            best.set(candidate.id, hit);
            order.push(hit);
          } else if (earlier.certainty === 'possible' && hit.certainty === 'exact') {
            Object.assign(earlier, hit);
          }
        }
      }
    }
    // Stable: within each certainty, the order of kinds and ids above.
    return [...order.filter((h) => h.certainty === 'exact'), ...order.filter((h) => h.certainty === 'possible')];
  }
}
