import type { ConversionReader, ConversionRecord } from '../domain/conversions/conversion-record.js';
import { csvCell } from '../importer/csv-cell.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportQuery {
  teamId: string | null;
  from: Date | null;
  to: Date | null;
}

const COLUMNS: (keyof ConversionRecord)[] = [
  'ref',
  'teamId',
  'name',
  'title',
  'company',
  'email',
  'phone',
  'source',
  'subSource',
  'campaign',
  'externalId',
  'score',
  'grade',
  'owner',
  'createdAt',
  'contactedAt',
  'qualifiedAt',
  'convertedAt',
  'dealValue',
  'dealCurrency',
  'expectedClose',
  'customerId',
  'customerName',
];

const PAGE = 1000;

/**
 * Writes converted leads with their deal and customer, a page at a time (memory stays flat however
 * many there are): CSV with a header row, or one JSON array. Returns how many were written.
 */
export async function exportConversions(
  reader: ConversionReader,
  query: ExportQuery,
  format: ExportFormat,
  write: (chunk: string) => Promise<void>,
  onPage: (written: number) => void = () => {},
  pageSize = PAGE,
): Promise<number> {
  let written = 0;
  let afterLeadId = 0;
  await write(format === 'csv' ? `${COLUMNS.join(',')}\n` : '[');
  for (;;) {
    const page = await reader.conversions({ ...query, afterLeadId, limit: pageSize });
    if (page.length === 0) break;
    const lines = page.map((record, i) =>
      format === 'csv'
        ? `${COLUMNS.map((c) => csvCell(record[c])).join(',')}\n`
        : `${written + i === 0 ? '' : ','}\n${JSON.stringify(record)}`,
    );
    await write(lines.join(''));
    written += page.length;
    afterLeadId = (page.at(-1) as ConversionRecord).leadId;
    onPage(written);
  }
  if (format === 'json') await write(written === 0 ? ']\n' : '\n]\n');
  return written;
}
