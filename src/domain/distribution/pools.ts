/** How a pool's leads find an owner: reps claim them, or the system gives each one to a rep. */
export const POOL_MODES = ['claim', 'round_robin', 'weighted', 'least_loaded', 'score_tier', 'ranking'] as const;
export type PoolMode = (typeof POOL_MODES)[number];

/** The lead fields a pool's rule may test. */
export const POOL_FIELDS = ['region', 'industry', 'source', 'grade', 'type', 'companySize'] as const;
export type PoolField = (typeof POOL_FIELDS)[number];

/**
 * A part of a team's leads with its own members and mode: a lead goes to the first pool whose rule
 * matches it (every field named, one of its values, case and width ignored), the default pool
 * catches the rest.
 */
export interface Pool {
  id: string;
  name: string;
  /** Field → accepted values; empty: matches every lead (a default pool). */
  match: Partial<Record<PoolField, readonly string[]>>;
  /** The members, by name as in the teams file; null: everyone in the team. */
  memberNames: readonly string[] | null;
  mode: PoolMode;
  /** Member name → weight, for `weighted` (absent members weigh 1). */
  weights: Readonly<Record<string, number>>;
  /**
   * A fair first look: leads of these grades go only to these members (by name) for `forMs` after
   * they come in (claimed by them, or given to them in turn), then to everyone in the pool.
   */
  firstTo?: { memberNames: readonly string[]; grades: readonly string[]; forMs: number };
  /** Leads the pool may give out (claimed or assigned) per local day. */
  dailyLimit?: number;
  /** How far a new lead of each grade is announced; absent: every lead gets a plain card. */
  reach?: PoolReach;
  /** `score_tier`: leads of these priorities go to the team's senior members, the rest to the others. */
  topTier?: { priorities: readonly string[] };
  /** `ranking`: members ranked over `windowMs` by conversions (× `conversionWeight`) plus follow-ups; bands get these shares. */
  ranking?: RankingRule;
}

export interface RankingRule {
  windowMs: number;
  /** Weight of each band, top band first: `[3, 2, 1]` splits the members in thirds, 3:2:1. */
  shares: readonly number[];
  conversionWeight: number;
}

/** A ranking pool without its own rule: the last 30 days, thirds weighing 3:2:1, a conversion worth 5 follow-ups. */
export const DEFAULT_RANKING: RankingRule = { windowMs: 30 * 86_400_000, shares: [3, 2, 1], conversionWeight: 5 };

/** In a `score_tier` pool, whether this lead is for the senior tier. */
export const isTopTier = (pool: Pool, lead: { priority: string }) =>
  (pool.topTier?.priorities ?? ['high']).includes(lead.priority);

/**
 * Grade decides reach, in a claim pool: `alert` grades get their card with a mention of the
 * qualified reps and a DM to each; `list` grades are gathered into one list per `listEveryMs`;
 * every other grade gets a plain card.
 */
export interface PoolReach {
  alert: readonly string[];
  list: readonly string[];
  listEveryMs: number;
  /** Who is alerted, by name; null: the pool's first tier if it has one, else its members. */
  notify: readonly string[] | null;
}

export type Reach = 'alert' | 'plain' | 'list';

export function reachOf(pool: Pool | undefined, grade: string): Reach {
  if (pool?.reach?.alert.includes(grade)) return 'alert';
  if (pool?.reach?.list.includes(grade)) return 'list';
  return 'plain';
}

/**
 * The members a good lead of this pool is announced to: the ones named to be told, else the
 * pool's first tier, else its members (all the team's reps when it names nobody); never anyone
 * inactive or paused, who could not take it.
 */
export function alertRecipients<M extends { displayName: string; role: string; active: boolean }>(
  pool: Pool,
  members: readonly M[],
  available: (member: M) => boolean,
): M[] {
  const named = pool.reach?.notify ?? pool.firstTo?.memberNames ?? pool.memberNames;
  return members.filter((m) => m.active && available(m) && (named ? named.includes(m.displayName) : m.role === 'rep'));
}

/** The pool of a team without pools: everyone claims everything, as before pools existed. */
export const DEFAULT_POOL: Pool = {
  id: 'default',
  name: 'Default',
  match: {},
  memberNames: null,
  mode: 'claim',
  weights: {},
};

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase();

/** The fields of a lead a pool's rule reads. */
export type PoolFacts = { readonly [K in PoolField]?: string | null };

export function poolMatches(pool: Pool, lead: PoolFacts): boolean {
  return Object.entries(pool.match).every(([field, values]) => {
    const value = lead[field as PoolField];
    return value !== null && value !== undefined && (values ?? []).some((v) => fold(v) === fold(String(value)));
  });
}

/** The pool a lead goes to: the first that matches it, else the default one. */
export function routeLead(pools: readonly Pool[] | undefined, lead: PoolFacts): Pool {
  return pools?.find((pool) => poolMatches(pool, lead)) ?? DEFAULT_POOL;
}

export const isSystemAssigned = (pool: Pool) => pool.mode !== 'claim';

/** Whether a member (by name) belongs to a pool. */
export const inPool = (pool: Pool, name: string) => pool.memberNames === null || pool.memberNames.includes(name);

/** Until when only the pool's first tier may take this lead; null when anyone in the pool may. */
export function firstLookUntil(pool: Pool, lead: { grade: string; createdAt: Date }, now: Date): Date | null {
  const tier = pool.firstTo;
  if (!tier?.grades.includes(lead.grade)) return null;
  const until = new Date(lead.createdAt.getTime() + tier.forMs);
  return until > now ? until : null;
}

/** Whether a member may take this lead now, as far as the first look goes. */
export const outsideFirstLook = (pool: Pool, lead: { grade: string; createdAt: Date }, name: string, now: Date) =>
  firstLookUntil(pool, lead, now) !== null && !pool.firstTo?.memberNames.includes(name);
