import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The README and the guides and notes in docs/ it points to: every path and command they name must exist. */
const docs = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ name: `docs/${f}`, text: readFileSync(join(ROOT, 'docs', f), 'utf8') }));
const texts = [{ name: 'README.md', text: readme }, ...docs];
const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as object);

/** Paths of the repository the README names (`src/…`, `test/…`, …), not package names (`@prisma/…`). */
const PATH = /(?<![@\w/.-])(?:src|test|manifests|prisma|docs|\.ci)\/[\w./-]+/g;
const namedPaths = (text: string) =>
  [...new Set([...text.matchAll(PATH)].map((m) => m[0].replace(/[.,;:]+$/, '')))].sort();

describe('README and docs/', () => {
  it('names only files and folders that exist', () => {
    const named = texts.flatMap(({ name, text }) => namedPaths(text).map((path) => ({ name, path })));
    expect(named.length).toBeGreaterThan(40);
    expect(named.filter(({ path }) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = texts.flatMap(({ text }) => [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1] ?? ''));
    expect(named.length).toBeGreaterThan(10);
    expect([...new Set(named)].filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it('the README links only guides that exist, and keeps to running, testing, configuring and the map', () => {
    const links = [...readme.matchAll(/\]\((docs\/[\w.-]+\.md)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThanOrEqual(6);
    expect(links.filter((l) => !existsSync(join(ROOT, l)))).toEqual([]);
    expect(readme.split('\n').length).toBeLessThan(200);
  });

  it('the path check can fail: a named file that is not there is reported, a package name is not a path', () => {
    expect(namedPaths('see `src/nowhere.ts`, and `@prisma/adapter-pg`.')).toEqual(['src/nowhere.ts']);
    expect(existsSync(join(ROOT, 'src/nowhere.ts'))).toBe(false);
  });
});
