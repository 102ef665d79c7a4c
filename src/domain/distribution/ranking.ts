import type { RankingRule } from './pools.js';

/** A member's record over the ranking window. */
export interface MemberRecord {
  memberId: string;
  name: string;
  conversions: number;
  followUps: number;
}

export interface Ranked extends MemberRecord {
  rank: number;
  score: number;
  /** The weight of the member's band: their share of new leads against the other bands. */
  weight: number;
}

/**
 * Ranks members by conversions (each worth `conversionWeight`) plus follow-ups logged, best first
 * (ties by name), and splits them into as many even bands as the rule has shares: the top band
 * takes the first share, and so on. Everyone is in a band, so nobody's share drops to nothing.
 */
export function rankMembers(rule: RankingRule, records: readonly MemberRecord[]): Ranked[] {
  const scored = records.map((r) => ({ ...r, score: r.conversions * rule.conversionWeight + r.followUps }));
  scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const bandSize = Math.max(1, Math.ceil(scored.length / rule.shares.length));
  return scored.map((r, i) => ({
    ...r,
    rank: i + 1,
    weight: rule.shares[Math.min(Math.floor(i / bandSize), rule.shares.length - 1)] as number,
  }));
}
