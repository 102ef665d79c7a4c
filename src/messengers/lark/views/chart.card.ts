import type { ChartsView } from '../../shared/presenters/charts.presenter.js';
import type { HomeView } from '../../shared/presenters/home.presenter.js';
import { buildHomeCard } from './home.card.js';
import { type CardElement, card, type LarkCard, LIMITS, plainText, textBlock } from './lark-card.js';

/**
 * Lark draws charts itself: the card's `chart` element takes a VChart spec (data and fields only;
 * Lark allows no JavaScript in it and about five charts per card). Labels are plain data, so a
 * team's name shows as typed.
 */
const title = (text: string) => ({ visible: true, text: plainText(text, LIMITS.title).content });

export function funnelChartElement(funnel: ChartsView['funnel']): CardElement {
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'funnel',
      title: title(funnel.title),
      data: { values: funnel.stages.map((s) => ({ stage: s.label, count: s.value })) },
      categoryField: 'stage',
      valueField: 'count',
      isTransform: true,
      label: { visible: true },
      legends: { visible: false },
    },
  };
}

export function trendChartElement(trend: ChartsView['trend']): CardElement {
  const values = trend.series.flatMap((s) =>
    s.values.map((count, i) => ({ day: trend.days[i], series: s.name, count })),
  );
  return {
    tag: 'chart',
    aspect_ratio: '16:9',
    chart_spec: {
      type: 'line',
      title: title(trend.title),
      data: { values },
      xField: 'day',
      yField: 'count',
      seriesField: 'series',
      legends: { visible: true, orient: 'bottom' },
    },
  };
}

export function chartElements(charts: ChartsView): CardElement[] {
  return [funnelChartElement(charts.funnel), trendChartElement(charts.trend)];
}

/** A digest: the desk-shaped card, its charts right under the summary line. */
export function buildDigestCard(view: HomeView, charts: ChartsView): LarkCard {
  const digest = buildHomeCard(view);
  const [summary, ...rest] = digest.body.elements;
  return { ...digest, body: { elements: [...(summary ? [summary] : []), ...chartElements(charts), ...rest] } };
}

/** `/lead funnel`: every number as text, then the two charts. */
export function buildFunnelCard(text: string, charts: ChartsView): LarkCard {
  return card([textBlock(text), ...chartElements(charts)]);
}
