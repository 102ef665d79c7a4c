import type { Locale } from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import type { ResolvedReport } from '../../domain/reports/funnel.js';
import { exportPeriodLeads } from '../../domain/reports/period-export.js';
import { localDateOf } from '../../domain/shared/time-zone.js';
import { periodLeadsCsv } from '../../exporter/period-csv.js';
import { t } from '../../i18n/catalog.js';
import type { MessengerDeps } from './messenger-deps.js';

/** A file for the chat: its name, its bytes and the line said with it. */
export interface ChatFile {
  filename: string;
  content: Buffer;
  comment: string;
}

/** The file's name: whose leads, the period, and its first and last day as the team counts days. */
export function exportFileName(report: ResolvedReport): string {
  const { period, timeZone } = report;
  // The team's own dates: at 01:00 on the 7th in Shanghai, "today" is the 7th, not UTC's 6th.
  const first = period.days?.first ?? localDateOf(period.from, timeZone);
  const last = period.days?.last ?? localDateOf(new Date(period.to.getTime() - 1), timeZone);
  const span = first === last ? first : `${first}_${last}`;
  const who = report.rep ? `-${report.rep.displayName}` : '';
  return `leads-${report.teams.map((t) => t.id).join('+')}${who}-${period.name}-${span}.csv`.replace(/[^\w.+-]+/g, '_');
}

/** `/lead export [team] [period]`: the period's leads as a CSV file, for whoever may see them. */
export async function periodExportFile(
  deps: MessengerDeps,
  actor: Identity,
  input: { team?: string; period: string; channelTeam?: string | undefined },
  locale: Locale,
): Promise<ChatFile> {
  const exported = await exportPeriodLeads(deps, {
    actor,
    period: input.period,
    ...(input.team ? { team: input.team } : {}),
    ...(input.channelTeam ? { channelTeam: input.channelTeam } : {}),
  });
  const { report, rows, truncated } = exported;
  const days = report.period.days;
  const filename = exportFileName(report);
  const comment = t(locale, truncated ? 'export.done_truncated' : 'export.done', {
    count: rows.length,
    scope: report.teams.map((team) => team.name).join(', '),
    period: t(locale, `funnel.period.${report.period.name}`, days ?? {}),
  });
  return { filename, content: Buffer.from(periodLeadsCsv(rows), 'utf8'), comment };
}
