import type { webApi } from '@slack/bolt';
import { renderChartPng } from '../../infra/charts/chart-png.js';
import type { ChartsView } from '../shared/presenters/charts.presenter.js';
import { CHART_SIZE, funnelChartOption, trendChartOption } from './views/chart-options.js';
import { fallbackText } from './views/slack-text.js';

/** Where charts go: a channel (a DM), optionally into a message's thread, with a line said with them. */
export interface ChartsTarget {
  channel: string;
  threadTs?: string;
  comment: string;
}

/**
 * Slack has no chart block: both charts are drawn as PNG and uploaded with the external upload
 * flow. Slack finishes an upload asynchronously, so the charts go into the thread of a message
 * already posted (a digest) or as their own message, never as an image block in the same post.
 */
export async function uploadCharts(client: webApi.WebClient, target: ChartsTarget, charts: ChartsView): Promise<void> {
  const [funnel, trend] = await Promise.all([
    renderChartPng(funnelChartOption(charts.funnel), CHART_SIZE),
    renderChartPng(trendChartOption(charts.trend), CHART_SIZE),
  ]);
  await client.files.uploadV2({
    channel_id: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
    initial_comment: fallbackText(target.comment),
    file_uploads: [
      { file: funnel, filename: 'funnel.png', title: charts.funnel.title, alt_text: charts.funnel.alt },
      { file: trend, filename: 'trend.png', title: charts.trend.title, alt_text: charts.trend.alt },
    ],
  });
}
