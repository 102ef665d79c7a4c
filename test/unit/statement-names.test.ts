import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/infra/db/sql.js';

describe('prepared statement names', () => {
  it('names a text the same each time, another text otherwise, and no more than its cap', () => {
    const names = new StatementNames(3);
    const a = names.of('SELECT 1');
    expect(a).toMatch(/^lp_[0-9a-f]{20}$/);
    expect(names.of('SELECT 1')).toBe(a);
    expect(names.of('SELECT 2')).not.toBe(a);
    expect(names.of('SELECT 3')).toBeDefined();
    // Past the cap a text runs unprepared; those named before keep their names.
    expect(names.of('SELECT 4')).toBeUndefined();
    expect(names.of('SELECT 1')).toBe(a);
  });
});
