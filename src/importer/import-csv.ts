import { createWriteStream, type WriteStream } from 'node:fs';
import type { FieldProblem } from '../domain/intake/field-problem.js';
import { intakeEach } from '../domain/intake/intake-each.js';
import type { IntakeDeps, IntakeOutcome } from '../domain/intake/intake-leads.js';
import type { PreparedLead } from '../domain/intake/prepare-lead.js';
import type { SourceCatalog } from '../domain/intake/sources.js';
import { validateLead } from '../domain/intake/validate-lead.js';
import { fieldProblemText } from '../i18n/field-problems.js';
import { applyMapping, type ColumnMapping, missingColumns } from './column-mapping.js';
import { csvCell } from './csv-cell.js';
import { CsvFileError, readCsv } from './csv-rows.js';

export interface ImportOptions {
  file: string;
  mapping: ColumnMapping;
  /** Where the per-row error report goes (CSV: line, field, problem). */
  errorsPath: string;
  batchSize?: number;
  /** Post each new lead's card to the team channel (off for a historical back-fill). */
  postCards?: boolean;
  onProgress?: (p: ImportProgress) => void;
}

export interface ImportProgress {
  rows: number;
  bytesRead: number;
  size: number;
}

export interface ImportSummary {
  rows: number;
  created: number;
  merged: number;
  awaitingOwner: number;
  duplicates: number;
  rejected: number;
  /** Rows stored with a value kept as typed (a phone or e-mail that could not be read), listed in the file too. */
  warned: number;
  errorsPath: string | null;
}

class ErrorReport {
  private out: WriteStream | null = null;
  count = 0;

  constructor(private readonly path: string) {}

  add(line: number, field: string, problem: string): void {
    this.out ??= createWriteStream(this.path).setDefaultEncoding('utf8');
    if (this.count === 0) this.out.write('line,field,problem\n');
    this.out.write(`${[line, field, problem].map(csvCell).join(',')}\n`);
    this.count++;
  }

  async close(): Promise<string | null> {
    if (!this.out) return null;
    const out = this.out;
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    return this.path;
  }
}

/**
 * Imports a CSV export: each row is mapped, cleaned and validated like an API call; valid rows are
 * stored in batches, one transaction each, through the same intake path (de-duplication included).
 * Bad rows are reported, not fatal. A re-run after a crash skips what was already stored, since
 * identical leads are recognised.
 */
export async function importCsv(
  deps: IntakeDeps & { sources: SourceCatalog },
  options: ImportOptions,
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500;
  const report = new ErrorReport(options.errorsPath);
  const summary: ImportSummary = {
    rows: 0,
    created: 0,
    merged: 0,
    awaitingOwner: 0,
    duplicates: 0,
    rejected: 0,
    warned: 0,
    errorsPath: null,
  };
  const seen = new Map<string, number>(); // fingerprint → first line, for repeats across batches
  let header: string[] = [];
  const rejectedLines = new Set<number>();
  const reject = (line: number, field: string, problem: string) => {
    report.add(line, field, problem);
    if (!rejectedLines.has(line)) {
      rejectedLines.add(line);
      summary.rejected++;
    }
  };
  const source = readCsv(options.file, {
    encoding: options.mapping.encoding,
    delimiter: options.mapping.delimiter,
    onHeader: (h) => {
      header = h;
    },
    onProblem: (p) => {
      summary.rows++;
      reject(p.line, '(row)', p.message);
    },
  });

  let batch: { line: number; lead: PreparedLead }[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const results = await intakeEach(
      deps,
      batch.map((b) => b.lead),
      'csv',
      { postCards: options.postCards ?? true },
    );
    for (const [i, result] of results.entries()) {
      const line = batch[i]?.line ?? 0;
      if (result.ok) count(result.outcome, line);
      else {
        reject(line, '(row)', `could not be stored: ${storeErrorText(result.error)}`);
        // Not stored, so a later copy of this row is not "the same as" anything.
        seen.delete(batch[i]?.lead.fingerprint ?? '');
      }
    }
    batch = [];
  };
  const count = (outcome: IntakeOutcome, line: number) => {
    if (outcome.kind === 'created') summary.created++;
    else if (outcome.kind === 'merged') summary.merged++;
    else if (outcome.kind === 'awaiting_owner') summary.awaitingOwner++;
    else {
      summary.duplicates++;
      report.add(line, '(row)', `already stored as L-${outcome.duplicateOf ?? '?'}`);
    }
  };
  const problemText = (p: FieldProblem) => fieldProblemText(p, 'en');

  let checkedHeader = false;
  for await (const row of source.rows) {
    if (!checkedHeader) {
      checkedHeader = true;
      const missing = missingColumns(options.mapping, header);
      if (missing.length > 0)
        throw new CsvFileError(
          `The file has no column ${missing.map((m) => `"${m}"`).join(', ')}. Nothing was imported.`,
        );
    }
    summary.rows++;
    const mapped = applyMapping(options.mapping, row.record);
    const checked = validateLead(mapped.lead, deps.teams, deps.sources);
    const problems = [...mapped.problems, ...(checked.ok ? [] : checked.problems)];
    if (problems.length > 0 || !checked.ok) {
      for (const p of problems) reject(row.line, p.field, problemText(p));
      continue;
    }
    const first = seen.get(checked.lead.fingerprint);
    if (first !== undefined) {
      summary.duplicates++;
      report.add(row.line, '(row)', `same as line ${first}`);
      continue;
    }
    seen.set(checked.lead.fingerprint, row.line);
    if (checked.lead.warnings.length > 0) summary.warned++;
    for (const w of checked.lead.warnings) report.add(row.line, w.field, problemText(w));
    batch.push({ line: row.line, lead: checked.lead });
    if (batch.length >= batchSize) {
      await flush();
      options.onProgress?.({ rows: summary.rows, bytesRead: source.bytesRead(), size: source.size });
    }
  }
  await flush();
  options.onProgress?.({ rows: summary.rows, bytesRead: source.size, size: source.size });
  summary.errorsPath = await report.close();
  return summary;
}

/** The database's reason, on one line, for the admin reading the error file. */
const storeErrorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').slice(0, 200);
