import type { Locale } from '../../domain/leads/lead.js';
import { type FunnelDeps, funnelReport, type ReportRequest } from '../../domain/reports/funnel.js';
import { type ChartsView, presentCharts } from './presenters/charts.presenter.js';
import { presentFunnel } from './presenters/funnel.presenter.js';

/** The funnel as every messenger shows it: all numbers in text, and two charts drawn from the same report. */
export interface FunnelAnswer {
  text: string;
  charts: ChartsView;
}

export async function funnelAnswer(deps: FunnelDeps, input: ReportRequest, locale: Locale): Promise<FunnelAnswer> {
  const report = await funnelReport(deps, input);
  return { text: presentFunnel(report, locale), charts: presentCharts(report, locale) };
}
