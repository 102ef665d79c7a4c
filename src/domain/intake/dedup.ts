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
  | 'teamId'
  | 'externalId'
  | 'email'
  | 'phone'
  | 'phoneExt'
  | 'phoneAlts'
  | 'nameKey'
  | 'companyKey'
  | 'coreKey'
  | 'looseKey'
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
  // The same digits as another region reads them find the person too, as a question.
  for (const alt of lead.phoneAlts ?? []) add('phone', alt);
  if (lead.companyKey && lead.nameKey) add('name_company', `${lead.nameKey}|${lead.companyKey}`);
  if (lead.coreKey && lead.looseKey) add('name_core', `${lead.looseKey}|${lead.coreKey}`);
  return keys;
}

/**
 * How sure a shared key makes two leads one person. A mobile number is one person's; a fixed line
 * (or a number that may be either) is a family's or an office's: it names the person only with
 * the same extension and the same name, and is otherwise a question. Digits that are one number
 * only as another region reads them, and a name at a company of the same core, folded looser, are
 * always a question.
 */
export function certaintyOf(
  kind: DedupKey['kind'],
  lead: Pick<KeyFields, 'phone' | 'phoneExt' | 'nameKey'>,
  candidate: MatchCandidate,
): MatchHit['certainty'] {
  if (kind === 'name_core') return 'possible';
  if (kind !== 'phone') return 'exact';
  if (!lead.phone || lead.phone !== candidate.phone || !isE164(lead.phone)) return 'possible';
  if (phoneKindOf(lead.phone) === 'mobile') return 'exact';
  return sameLine(lead, candidate) && lead.nameKey === candidate.nameKey ? 'exact' : 'possible';
}

const sameLine = (lead: Pick<KeyFields, 'phoneExt'>, candidate: MatchCandidate) =>
  (lead.phoneExt ?? null) === (candidate.phoneExt ?? null);

/**
 * How close a possible hit is, smallest first: on a shared switchboard the colleague with the same
 * extension and name comes before the one with another.
 */
function distance(hit: MatchHit, lead: Pick<KeyFields, 'phoneExt' | 'nameKey'>): number {
  if (hit.on !== 'phone' && hit.on !== 'phone_alt') return 0;
  return (sameLine(lead, hit.candidate) ? 0 : 2) + (lead.nameKey === hit.candidate.nameKey ? 0 : 1);
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
          const on = kind === 'phone' && lead.phone !== candidate.phone ? 'phone_alt' : kind;
          const hit: MatchHit = { candidate, on, certainty: certaintyOf(kind, lead, candidate) };
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
    // Stable: within each certainty, the order of kinds and ids above; the closest possible first.
    const possible = order.filter((h) => h.certainty === 'possible');
    const byDistance = possible.map((h, i) => ({ h, i, d: distance(h, lead) })).sort((a, b) => a.d - b.d || a.i - b.i);
    return [...order.filter((h) => h.certainty === 'exact'), ...byDistance.map((x) => x.h)];
  }
}
