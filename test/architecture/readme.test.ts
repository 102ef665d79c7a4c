import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as object);

/** Paths of the repository the README names (`src/…`, `test/…`, …), not package names (`@prisma/…`). */
const PATH = /(?<![@\w/.-])(?:src|test|manifests|prisma|docs|\.ci)\/[\w./-]+/g;
const namedPaths = (text: string) =>
  [...new Set([...text.matchAll(PATH)].map((m) => m[0].replace(/[.,;:]+$/, '')))].sort();

describe('README', () => {
  it('names only files and folders that exist', () => {
    const paths = namedPaths(readme);
    expect(paths.length).toBeGreaterThan(20);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...new Set([...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? ''))];
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it('the path check can fail: a named file that is not there is reported, a package name is not a path', () => {
    expect(namedPaths('see `src/nowhere.ts`, and `@prisma/adapter-pg`.')).toEqual(['src/nowhere.ts']);
    expect(existsSync(join(ROOT, 'src/nowhere.ts'))).toBe(false);
  });
});
