/** Where leads come from: a fixed set of categories, built-in sources, and sources admins add in config. */
export const SOURCE_CATEGORIES = ['self_built', 'paid', 'free', 'other'] as const;
export type SourceCategory = (typeof SOURCE_CATEGORIES)[number];

export interface SourceCost {
  amount: number;
  currency: string;
  period: 'month' | 'quarter' | 'year' | 'total';
}

export interface LeadSource {
  id: string;
  category: SourceCategory;
  /** Admin-added sources carry their own label; built-in ones are labelled by the message catalog. */
  label: string | null;
  /** Spend on the channel, for cost per lead and ROI. */
  cost: SourceCost | null;
}

export const BUILT_IN_SOURCES: readonly LeadSource[] = (
  [
    ['event', 'self_built'],
    ['website', 'self_built'],
    ['private_traffic', 'self_built'],
    ['social_media', 'self_built'],
    ['search_ads', 'paid'],
    ['purchased_data', 'paid'],
    ['seo', 'free'],
    ['referral', 'free'],
    ['partner_exchange', 'other'],
    ['crawled', 'other'],
  ] as const
).map(([id, category]) => ({ id, category, label: null, cost: null }));

export interface SourceCatalog {
  find(id: string): LeadSource | undefined;
  all(): readonly LeadSource[];
  /** When a channel's report says keep, watch or drop it. */
  verdict: VerdictThresholds;
}

/**
 * A channel below a "drop" line on conversion rate or ROI drops, below a "watch" line watches, and
 * one with fewer than `minLeads` leads in the period is kept: too few to judge.
 */
export interface VerdictThresholds {
  dropRate: number;
  watchRate: number;
  dropRoi: number;
  watchRoi: number;
  minLeads: number;
}

export const DEFAULT_VERDICT: VerdictThresholds = {
  dropRate: 0.02,
  watchRate: 0.05,
  dropRoi: 0,
  watchRoi: 1,
  minLeads: 10,
};

/** Built-in sources plus the configured ones; a configured source may also set a built-in's cost. */
export function sourceCatalog(
  configured: readonly LeadSource[] = [],
  verdict: VerdictThresholds = DEFAULT_VERDICT,
): SourceCatalog {
  const byId = new Map(BUILT_IN_SOURCES.map((s) => [s.id, s]));
  for (const source of configured) byId.set(source.id, source);
  const all = [...byId.values()];
  return { find: (id) => byId.get(id.trim().toLowerCase()), all: () => all, verdict };
}
