/** `npm run docs:charts`: draws the README's example charts into docs/charts/ from a fixed report. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChartPng } from '../../src/infra/charts/chart-png.js';
import { presentCharts } from '../../src/messengers/shared/presenters/charts.presenter.js';
import { CHART_SIZE, funnelChartOption, trendChartOption } from '../../src/messengers/slack/views/chart-options.js';
import { exampleFunnelReport } from './chart-example.js';

const out = join(import.meta.dirname, '../../docs/charts');
mkdirSync(out, { recursive: true });
const charts = presentCharts(exampleFunnelReport(), 'zh-CN');
const files = {
  'funnel.zh.png': await renderChartPng(funnelChartOption(charts.funnel), CHART_SIZE),
  'trend.zh.png': await renderChartPng(trendChartOption(charts.trend), CHART_SIZE),
};
for (const [name, png] of Object.entries(files)) {
  writeFileSync(join(out, name), png);
  console.log(`docs/charts/${name}: ${png.length} bytes`);
}
