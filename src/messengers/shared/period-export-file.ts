import type { Locale } from '../../domain/leads/lead.js';
import type { Identity } from '../../domain/members/identity.js';
import { exportPeriodLeads } from '../../domain/reports/period-export.js';
import { periodLeadsCsv } from '../../exporter/period-csv.js';
import { t } from '../../i18n/catalog.js';
import type { MessengerDeps } from './messenger-deps.js';

/** A file for the chat: its name, its bytes and the line said with it. */
export interface ChatFile {
  filename: string;
  content: Buffer;
  comment: string;
}

/** `/lead export [team] [period]`: the period's leads as a CSV file, for whoever may see them. */
export async function periodExportFile(
  deps: MessengerDeps,
  actor: Identity,
  input: { team?: string; period: string },
  locale: Locale,
): Promise<ChatFile> {
  const exported = await exportPeriodLeads(deps, {
    actor,
    period: input.period,
    ...(input.team ? { team: input.team } : {}),
  });
  const { report, rows, truncated } = exported;
  const days = report.period.days;
  const span = days ? `${days.first}_${days.last}` : `${report.period.from.toISOString().slice(0, 10)}`;
  const who = report.rep ? `-${report.rep.displayName}` : '';
  const filename = `leads-${report.teams.map((t) => t.id).join('+')}${who}-${report.period.name}-${span}.csv`.replace(
    /[^\w.+-]+/g,
    '_',
  );
  const comment = t(locale, truncated ? 'export.done_truncated' : 'export.done', {
    count: rows.length,
    scope: report.teams.map((team) => team.name).join(', '),
    period: t(locale, `funnel.period.${report.period.name}`, days ?? {}),
  });
  return { filename, content: Buffer.from(periodLeadsCsv(rows), 'utf8'), comment };
}
