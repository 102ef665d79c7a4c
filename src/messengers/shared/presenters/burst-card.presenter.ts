import { type Pool, reachOf } from '../../../domain/distribution/pools.js';
import { formatLeadRef, type TeamPolicy } from '../../../domain/leads/lead.js';
import type { LeadCardData } from '../../../domain/leads/lead-read-model.js';
import { t } from '../../../i18n/catalog.js';
import { type CardButton, presentLeadCard } from './lead-card.presenter.js';

/**
 * One page of a burst's summary card: a line per lead with its own Claim button. A burst is split
 * into pages by the messenger (message size limits differ); each page is edited in place as its
 * leads are claimed, like a card.
 */
export interface BurstCardView {
  fallbackText: string;
  title: string;
  intro: string;
  lines: BurstLine[];
}

export interface BurstLine {
  leadId: number;
  /** "L-12 Zhang Wei": the lead's name is outside text, escaped by the view builder. */
  title: string;
  /** Company, region, source and score, as on the card, on one line. */
  detail: string;
  /** Who has it now, when someone does. */
  status: string | null;
  claim: CardButton | null;
}

/** Outside text on a line is cut to these lengths, so a page of the most verbose leads still fits its message. */
export const BURST_LINE_LIMITS = { title: 100, detail: 200, status: 150 } as const;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function presentBurstPage(
  leads: readonly LeadCardData[],
  team: TeamPolicy,
  page: { part: number; parts: number },
): BurstCardView {
  const locale = team.locale;
  const count = leads.length;
  const { part, parts } = page;
  // A pool's periodic list holds only the grades it lists (they never join a burst's summary).
  const pool = listPool(leads, team);
  const title = pool
    ? t(locale, parts > 1 ? 'list.title_part' : 'list.title', { count, part, parts, pool: pool.name })
    : t(locale, parts > 1 ? 'burst.title_part' : 'burst.title', { count, part, parts });
  const lines = leads.map((data) => presentLine(data, team));
  return {
    fallbackText: `${title}: ${lines.map((l) => l.title).join(', ')}`,
    title,
    intro: t(locale, pool ? 'list.intro' : 'burst.intro'),
    lines,
  };
}

function listPool(leads: readonly LeadCardData[], team: TeamPolicy): Pool | null {
  const pool = team.pools?.find((p) => p.id === leads[0]?.lead.poolId);
  const listed = pool && leads.every((d) => d.lead.poolId === pool.id && reachOf(pool, d.lead.grade) === 'list');
  return listed ? pool : null;
}

function presentLine(data: LeadCardData, team: TeamPolicy): BurstLine {
  const { lead } = data;
  const card = presentLeadCard(data, team);
  const wanted = new Set([
    t(team.locale, 'card.field.company'),
    t(team.locale, 'card.field.region'),
    t(team.locale, 'card.field.source'),
  ]);
  const facts = card.fields.filter((f) => wanted.has(f.label)).map((f) => f.value);
  const status =
    lead.status === 'pooled'
      ? data.returnedFrom
        ? card.status
        : null
      : lead.status === 'owned'
        ? t(team.locale, 'burst.claimed', { owner: data.owner?.displayName ?? '?' })
        : card.status;
  return {
    leadId: lead.id,
    title: cut(`${formatLeadRef(lead.id)} ${lead.name}`, BURST_LINE_LIMITS.title),
    detail: cut([...facts, card.score.summary].join(' · '), BURST_LINE_LIMITS.detail),
    status: status === null ? null : cut(status, BURST_LINE_LIMITS.status),
    claim: card.claim,
  };
}
