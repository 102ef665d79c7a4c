import type { EChartsOption } from 'echarts';
import type { ChartsView } from '../../shared/presenters/charts.presenter.js';

/** The size charts are drawn at (SVG units; the PNG is twice as many pixels). */
export const CHART_SIZE = { width: 720, height: 400 } as const;

const COLOURS = ['#2f6fde', '#35a7a0', '#f2a93b', '#2ea043'];
const FONT = { fontFamily: 'Noto Sans SC', color: '#1f2328' };
const titleOf = (text: string) => ({ text, left: 'center', top: 12, textStyle: { ...FONT, fontSize: 18 } });

/** The funnel, top to bottom in stage order, each stage labelled with its count. */
export function funnelChartOption(funnel: ChartsView['funnel']): EChartsOption {
  return {
    color: COLOURS,
    textStyle: FONT,
    title: titleOf(funnel.title),
    series: [
      {
        type: 'funnel',
        sort: 'none',
        top: 56,
        bottom: 16,
        left: '12%',
        width: '76%',
        minSize: '28%',
        gap: 2,
        label: { position: 'inside', formatter: '{b}  {c}', fontSize: 15, color: '#ffffff' },
        data: funnel.stages.map((s) => ({ name: s.label, value: s.value })),
      },
    ],
  };
}

/** Leads in and first contacts as lines, conversions as bars, one point per local day. */
export function trendChartOption(trend: ChartsView['trend']): EChartsOption {
  const [leadsIn, contacted, converted] = trend.series;
  const line = (s: ChartsView['trend']['series'][number] | undefined) => ({
    type: 'line' as const,
    name: s?.name ?? '',
    data: s?.values ?? [],
    symbolSize: 6,
  });
  return {
    color: COLOURS.slice(0, 2).concat(COLOURS[3] ?? '#2ea043'),
    textStyle: FONT,
    title: titleOf(trend.title),
    legend: { bottom: 8, textStyle: { ...FONT, fontSize: 13 } },
    grid: { top: 56, bottom: 64, left: 48, right: 24 },
    xAxis: { type: 'category', data: trend.days, axisLabel: { fontSize: 12 } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: { fontSize: 12 } },
    series: [
      line(leadsIn),
      line(contacted),
      { type: 'bar', name: converted?.name ?? '', data: converted?.values ?? [], barMaxWidth: 18 },
    ],
  };
}
