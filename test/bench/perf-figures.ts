/** What one benchmark figure says: a p99 or p50 (or a rate) and the baseline it was measured against in the same run. */
export interface Figure {
  bench: string;
  database: string;
  what: string;
  value: number;
  unit: 'ms' | 'leads/s';
  baseline: { what: string; value: number };
}

const PREFIX = 'BENCH_FIGURE ';
export const TABLE_START = '<!-- performance table: written by `npm run bench:table` from the benchmarks’ output -->';
export const TABLE_END = '<!-- end of the performance table -->';

/** Prints a figure as a line `npm run bench:table` reads back. */
export function reportFigure(figure: Figure): void {
  console.log(`${PREFIX}${JSON.stringify(figure)}`);
}

/** The figures in a benchmark's output; other lines are left alone. */
export function figuresIn(output: string): Figure[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(PREFIX))
    .map((line) => JSON.parse(line.slice(PREFIX.length)) as Figure);
}

const number = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));

/** The figures as a Markdown table, in the order they came, with the date they were measured. */
export function renderTable(figures: readonly Figure[], measuredAt: Date): string {
  const rows = figures.map(
    (f) =>
      `| ${f.bench} | ${f.database} | ${f.what} | ${number(f.value)} ${f.unit} | ${f.baseline.what}: ${number(f.baseline.value)} ${f.unit} | ${(f.value / f.baseline.value).toFixed(2)}× |`,
  );
  return [
    `| Benchmark (one run each, ${measuredAt.toISOString().slice(0, 10)}) | Database | Measure | Value | Baseline (same run) | Ratio |`,
    '| --- | --- | --- | ---: | --- | ---: |',
    ...rows,
  ].join('\n');
}

/** `document` with the text between the table's markers replaced by `table`; the markers must be there. */
export function replaceTable(document: string, table: string): string {
  const start = document.indexOf(TABLE_START);
  const end = document.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no performance table markers');
  return `${document.slice(0, start + TABLE_START.length)}\n${table}\n${document.slice(end)}`;
}
