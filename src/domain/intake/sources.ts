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
}

/** Built-in sources plus the configured ones; a configured source may also set a built-in's cost. */
export function sourceCatalog(configured: readonly LeadSource[] = []): SourceCatalog {
  const byId = new Map(BUILT_IN_SOURCES.map((s) => [s.id, s]));
  for (const source of configured) byId.set(source.id, source);
  const all = [...byId.values()];
  return { find: (id) => byId.get(id.trim().toLowerCase()), all: () => all };
}
