import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { TextDecoder } from 'node:util';
import { parse } from 'csv-parse';

export interface CsvRow {
  line: number;
  record: Record<string, string>;
}

export interface CsvProblem {
  line: number;
  message: string;
}

export class CsvFileError extends Error {}

/** Refuses a file whose start is not valid in the declared encoding, before anything is imported. */
function checkEncoding(path: string, encoding: string): void {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new CsvFileError(
      `Unknown encoding "${encoding}". Use utf-8, gb18030, big5, shift_jis or another WHATWG encoding name.`,
    );
  }
  const fd = openSync(path, 'r');
  try {
    const sample = Buffer.alloc(64 * 1024);
    const size = readSync(fd, sample, 0, sample.length, 0);
    decoder.decode(sample.subarray(0, size), { stream: true });
  } catch {
    const hint =
      encoding.toLowerCase().replace('-', '') === 'utf8'
        ? ' If it was saved by Excel on a Chinese system, try --encoding gb18030.'
        : '';
    throw new CsvFileError(`${path} is not valid ${encoding} text.${hint} Nothing was imported.`);
  } finally {
    closeSync(fd);
  }
}

export interface CsvSource {
  size: number;
  bytesRead(): number;
  rows: AsyncIterable<CsvRow>;
}

/**
 * Streams a CSV file row by row (memory stays flat however large it is). Rows the parser cannot
 * read (broken quoting, wrong column count) and rows with undecodable bytes go to `onProblem`, and
 * reading goes on.
 */
export function readCsv(
  path: string,
  options: {
    encoding: string;
    delimiter: string;
    onProblem: (p: CsvProblem) => void;
    onHeader?: (h: string[]) => void;
  },
): CsvSource {
  const size = statSync(path).size;
  checkEncoding(path, options.encoding);
  let read = 0;
  const file = createReadStream(path, { highWaterMark: 256 * 1024 });
  file.on('data', (chunk) => {
    read += chunk.length;
  });
  const utf8 = ['utf-8', 'utf8'].includes(options.encoding.toLowerCase());
  const decoder = new TextDecoder(options.encoding);
  const decoded = utf8
    ? file
    : file.pipe(
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            done(null, decoder.decode(chunk, { stream: true }));
          },
          flush(done) {
            done(null, decoder.decode());
          },
        }),
      );
  const parser = decoded.pipe(
    parse({
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        options.onHeader?.(names);
        return names;
      },
      bom: true,
      delimiter: options.delimiter,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
      on_skip: (error) => {
        if (error) options.onProblem({ line: (error as { lines?: number }).lines ?? 0, message: error.message });
      },
    }),
  );
  async function* rows(): AsyncIterable<CsvRow> {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (Object.values(record).some((v) => v.includes('\uFFFD'))) {
        options.onProblem({ line: info.lines, message: `the row has bytes that are not valid ${options.encoding}` });
        continue;
      }
      yield { line: info.lines, record };
    }
  }
  return { size, bytesRead: () => read, rows: rows() };
}
