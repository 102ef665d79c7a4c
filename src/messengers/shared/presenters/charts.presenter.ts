import type { Locale } from '../../../domain/leads/lead.js';
import type { FunnelReport } from '../../../domain/reports/funnel.js';
import { t } from '../../../i18n/catalog.js';
import { periodName, scopeName } from './funnel.presenter.js';

export interface ChartSeries {
  name: string;
  values: number[];
}

/**
 * The two charts of a funnel or digest, labelled in the reader's language, for any messenger to
 * draw (a PNG for Slack, a native chart for Lark). `alt` says what each shows, for those who
 * cannot see it; the message's text carries every number anyway.
 */
export interface ChartsView {
  funnel: { title: string; stages: { label: string; value: number }[]; alt: string };
  trend: { title: string; days: string[]; series: ChartSeries[]; alt: string };
}

export function presentCharts(report: FunnelReport, locale: Locale): ChartsView {
  const now = report.current;
  const stages = [
    { label: t(locale, 'chart.leads_in'), value: now.leadsIn },
    { label: t(locale, 'chart.contacted'), value: now.contacted },
    { label: t(locale, 'chart.qualified'), value: now.qualified },
    { label: t(locale, 'chart.converted'), value: now.converted },
  ];
  const days = report.trend.map((d) => d.day);
  const total = (pick: (d: FunnelReport['trend'][number]) => number) => report.trend.reduce((n, d) => n + pick(d), 0);
  const first = days[0] ?? '';
  const last = days.at(-1) ?? '';
  return {
    funnel: {
      title: t(locale, 'chart.funnel_title', { scope: scopeName(report, locale), period: periodName(report, locale) }),
      stages,
      alt: t(locale, 'chart.funnel_alt', { stages: stages.map((s) => `${s.label} ${s.value}`).join(' → ') }),
    },
    trend: {
      title: t(locale, 'chart.trend_title', { last }),
      // "11-23": the year and month are in the title.
      days: days.map((d) => d.slice(5)),
      series: [
        { name: t(locale, 'chart.leads_in'), values: report.trend.map((d) => d.leadsIn) },
        { name: t(locale, 'chart.contacted'), values: report.trend.map((d) => d.contacted) },
        { name: t(locale, 'chart.converted'), values: report.trend.map((d) => d.converted) },
      ],
      alt: t(locale, 'chart.trend_alt', {
        first,
        last,
        leadsIn: total((d) => d.leadsIn),
        contacted: total((d) => d.contacted),
        converted: total((d) => d.converted),
      }),
    },
  };
}
