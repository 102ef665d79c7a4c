import {
  type FunnelDeps,
  type PeriodLeadRow,
  type ReportRequest,
  type ResolvedReport,
  resolveReport,
} from './funnel.js';

/** A chat file holds at most this many leads; a longer period is cut and the answer says so. */
export const EXPORT_LIMIT = 50_000;

export interface PeriodExport {
  report: ResolvedReport;
  rows: PeriodLeadRow[];
  truncated: boolean;
}

/**
 * `/lead export [team] [period]`: the leads that came in during the period, as the asker may see
 * them (a rep their own), with stages and follow-ups. Contact details are left out: the file is
 * meant for a look in a spreadsheet, and phones and e-mails stay in Leadpool.
 */
export async function exportPeriodLeads(
  deps: FunnelDeps,
  input: ReportRequest,
  limit = EXPORT_LIMIT,
): Promise<PeriodExport> {
  const report = await resolveReport(deps, input);
  const rows = await deps.reports.periodLeads(report.scope, report.period.from, report.period.to, limit + 1);
  return { report, rows: rows.slice(0, limit), truncated: rows.length > limit };
}
