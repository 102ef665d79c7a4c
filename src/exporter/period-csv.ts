import type { PeriodLeadRow } from '../domain/reports/funnel.js';
import { csvCell } from '../importer/csv-cell.js';

const COLUMNS: (keyof PeriodLeadRow)[] = [
  'ref',
  'team',
  'name',
  'company',
  'source',
  'channel',
  'status',
  'stage',
  'owner',
  'createdAt',
  'contactedAt',
  'qualifiedAt',
  'convertedAt',
  'closedAt',
  'closeReason',
  'dealValue',
  'followUps',
  'lastFollowUpAt',
  'lastFollowUpMethod',
  'lastFollowUpOutcome',
  'lastFollowUpNote',
];

/** A period's leads as CSV, with a byte-order mark so spreadsheets read Chinese names as UTF-8. */
export function periodLeadsCsv(rows: readonly PeriodLeadRow[]): string {
  const lines = rows.map((row) => COLUMNS.map((c) => csvCell(row[c])).join(','));
  return `\uFEFF${[COLUMNS.join(','), ...lines].join('\n')}\n`;
}
