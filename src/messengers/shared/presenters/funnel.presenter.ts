import type { Locale } from '../../../domain/leads/lead.js';
import type { ChannelReport, FunnelCounts, FunnelReport, RepRow } from '../../../domain/reports/funnel.js';
import { t } from '../../../i18n/catalog.js';
import { sourceLabel } from './source-label.js';

const pct = (n: number | null) => (n === null ? '–' : `${Math.round(n * 100)}%`);
const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** "45m", "3h 20m", "2d 4h" (or in Chinese); "–" when there is nothing to measure. */
export function formatDuration(ms: number | null, locale: Locale): string {
  if (ms === null) return t(locale, 'funnel.none');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t(locale, 'duration.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t(locale, 'duration.hours', { h: hours, m: minutes % 60 });
  return t(locale, 'duration.days', { d: Math.floor(hours / 24), h: hours % 24 });
}

/** How a number moved against the previous period. */
function change(now: number, before: number, locale: Locale): string {
  // Nothing then and nothing now: there is no change worth a word.
  if (before === 0) return now === 0 ? '' : t(locale, 'funnel.change_new');
  if (now === before) return t(locale, 'funnel.change_same', { before });
  const moved = `${Math.round((Math.abs(now - before) * 100) / before)}%`;
  return t(locale, now > before ? 'funnel.change_up' : 'funnel.change_down', { pct: moved, before });
}

const money = (value: number, currency: string | null, locale: Locale) =>
  currency
    ? new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 2 }).format(value)
    : value.toLocaleString(locale, { maximumFractionDigits: 2 });

export function periodName(report: FunnelReport, locale: Locale): string {
  const { period } = report;
  if (!period.days) return t(locale, `funnel.period.${period.name}`);
  // A one-day range (a daily digest) is its day.
  return period.days.first === period.days.last ? period.days.first : t(locale, 'funnel.period.range', period.days);
}

function stageLines(now: FunnelCounts, before: FunnelCounts, locale: Locale): string[] {
  return [
    t(locale, 'funnel.leads_in', { count: now.leadsIn, change: change(now.leadsIn, before.leadsIn, locale) }),
    t(locale, 'funnel.stages', {
      contacted: now.contacted,
      contactedRate: pct(rate(now.contacted, now.leadsIn)),
      qualified: now.qualified,
      qualifiedRate: pct(rate(now.qualified, now.contacted)),
      converted: now.converted,
      convertedRate: pct(rate(now.converted, now.qualified)),
      overallRate: pct(rate(now.converted, now.leadsIn)),
      change: change(now.converted, before.converted, locale),
    }),
    t(locale, 'funnel.closed', { lost: now.lost, invalid: now.invalid }),
    t(locale, 'funnel.times', {
      p50: formatDuration(now.firstContactMedianMs, locale),
      p90: formatDuration(now.firstContactP90Ms, locale),
      convert: formatDuration(now.convertMedianMs, locale),
    }),
    t(locale, 'funnel.sla', {
      within: now.contactedWithinSla,
      owned: now.owned,
      rate: pct(rate(now.contactedWithinSla, now.owned)),
      reclaims: now.reclaims,
      change: change(now.reclaims, before.reclaims, locale),
    }),
    t(locale, 'funnel.value', { value: money(now.dealValue, null, locale) }),
  ];
}

function channelLine(c: ChannelReport, locale: Locale): string {
  const cost =
    c.spend === null
      ? ''
      : t(locale, 'funnel.channel_cost', {
          spend: money(c.spend, c.currency, locale),
          perLead: c.costPerLead === null ? '–' : money(c.costPerLead, c.currency, locale),
          roi: c.roi === null ? '–' : c.roi.toFixed(2),
        });
  return t(locale, 'funnel.channel_line', {
    source: sourceLabel(c.source, null, locale),
    leads: c.leads,
    rate: pct(c.conversionRate),
    cost,
    verdict: t(locale, `verdict.${c.verdict}`),
  });
}

/** Whose numbers a report shows: the teams, or a rep's own leads in a team. */
export function scopeName(report: FunnelReport, locale: Locale): string {
  return report.title.rep
    ? t(locale, 'funnel.rep_scope', { team: report.title.teams.join(', ') })
    : report.title.teams.join(', ');
}

/** `/lead funnel` as text both messengers show: every number is in the text. */
export function presentFunnel(report: FunnelReport, locale: Locale): string {
  const scope = scopeName(report, locale);
  const lines = [
    t(locale, 'funnel.title', { scope, period: periodName(report, locale) }),
    ...stageLines(report.current, report.previous, locale),
  ];
  if (report.channels.length > 0)
    lines.push('', t(locale, 'funnel.channels'), ...report.channels.slice(0, 10).map((c) => channelLine(c, locale)));
  if (report.reps.length > 0)
    lines.push(
      '',
      t(locale, report.title.rep ? 'funnel.your_work' : 'funnel.reps'),
      ...report.reps.slice(0, 25).map((r) => repLine(r, locale)),
    );
  return lines.join('\n');
}

/** One rep's work in the period, worded the same in their own report and in their manager's. */
export function repLine(r: RepRow, locale: Locale): string {
  return t(locale, 'funnel.rep_line', {
    name: r.name,
    taken: r.taken,
    within: r.contactedWithinSla,
    reclaimed: r.reclaimed,
    converted: r.converted,
    p50: formatDuration(r.firstContactMedianMs, locale),
  });
}
