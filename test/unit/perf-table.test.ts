import { describe, expect, it } from 'vitest';
import { figuresIn, renderTable, replaceTable, TABLE_END, TABLE_START } from '../bench/perf-figures.js';

const figure = {
  bench: 'bench:claim',
  database: 'PostgreSQL',
  what: 'claim DM, p99',
  value: 1372.9,
  unit: 'ms',
  baseline: { what: 'its floor', value: 817.4 },
} as const;

describe('the performance table', () => {
  it('reads the figures a benchmark printed among its other lines, and only those', () => {
    const output = ['Leadpool claim benchmark', `BENCH_FIGURE ${JSON.stringify(figure)}`, '  ratio 1.68x'].join('\n');
    expect(figuresIn(output)).toEqual([figure]);
    expect(figuresIn('nothing here\n')).toEqual([]);
  });

  it('writes each figure with its baseline and ratio between the markers, and keeps the rest', () => {
    const table = renderTable([figure], new Date('2026-12-07T12:00:00Z'));
    expect(table).toContain('| bench:claim | PostgreSQL | claim DM, p99 | 1,373 ms | its floor: 817 ms | 1.68× |');
    expect(table).toContain('one run each, 2026-12-07');
    const readme = `# Leadpool\n\nbefore\n${TABLE_START}\nold table\n${TABLE_END}\nafter\n`;
    const written = replaceTable(readme, table);
    expect(written).not.toContain('old table');
    expect(written).toContain(`before\n${TABLE_START}\n${table}\n${TABLE_END}\nafter`);
    // Written twice, the same.
    expect(replaceTable(written, table)).toBe(written);
    expect(() => replaceTable('# no markers', table)).toThrow(/markers/);
  });
});
