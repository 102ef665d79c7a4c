/**
 * The README's performance table, from the benchmarks' own output: each benchmark prints a
 * `BENCH_FIGURE {json}` line per figure (see `reportFigure`), measured against a baseline in the
 * same run; this rewrites the table between the README's markers from those lines.
 *
 *   npm run bench:table                      runs the benchmarks (about 40 minutes), then rewrites the table
 *   npm run bench:table -- out1.txt out2.txt  takes saved outputs instead
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Figure, figuresIn, renderTable, replaceTable } from './perf-figures.js';

/** The benchmarks that print figures; bench:matching's are shares of its own submissions, not times. */
const BENCHES = [
  'bench:claim',
  'bench:lark',
  'bench:funnel',
  'bench:intake',
  'bench:desk',
  'bench:digest',
  'bench:sweep',
  'bench:relay',
  'bench:assign',
  'bench:playground',
];

function outputs(files: string[]): string[] {
  if (files.length > 0) return files.map((f) => readFileSync(f, 'utf8'));
  return BENCHES.map((bench) => {
    console.error(`running ${bench}…`);
    return execFileSync('npm', ['run', '--silent', bench], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  });
}

const figures: Figure[] = outputs(process.argv.slice(2)).flatMap(figuresIn);
if (figures.length === 0) throw new Error('no BENCH_FIGURE lines in the benchmarks’ output');
const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', replaceTable(readme, renderTable(figures, new Date())));
console.error(`README.md: the performance table has ${figures.length} figures`);
