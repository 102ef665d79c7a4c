import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const files = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }));
/** Static imports, side-effect imports, re-exports and dynamic imports: every way one module reaches another. */
const IMPORT_FORMS = [
  /^\s*import\s[^'"]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /^\s*export\s[^'";]*?\sfrom\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
];
const importsOf = (text: string) => IMPORT_FORMS.flatMap((form) => [...text.matchAll(form)].map((m) => m[1] ?? ''));

/** The src-relative path a relative import names, or null for packages. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  return normalize(join(dirname(from), spec)).replace(/\.js$/, '.ts');
}

function offenders(inScope: (path: string) => boolean, forbidden: RegExp): string[] {
  return files
    .filter((f) => inScope(f.path))
    .flatMap((f) =>
      importsOf(f.text)
        .filter((i) => forbidden.test(i))
        .map((i) => `${f.path} imports ${i}`),
    );
}

describe('import boundaries', () => {
  it('finds the source files it checks, and every import form', () => {
    expect(files.filter((f) => f.path.startsWith('domain/')).length).toBeGreaterThan(5);
    const sample = `import a from './a.js';\nimport './b.js';\nexport { c } from './c.js';\nexport * from "./d.js";\nconst e = await import('./e.js');\nimport {\n  f,\n} from './f.js';`;
    expect(importsOf(sample).sort()).toEqual(['./a.js', './b.js', './c.js', './d.js', './e.js', './f.js']);
  });

  it('has no import cycles', () => {
    const graph = new Map(
      files.map((f) => [f.path, importsOf(f.text).flatMap((i) => resolveImport(f.path, i) ?? [])] as const),
    );
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (node: string, trail: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'open');
      for (const next of graph.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("names no messenger in the domain, nor in the repositories' method names", () => {
    const domain = files.filter((f) => f.path.startsWith('domain/') && /slack|lark|feishu/i.test(f.text));
    expect(domain.map((f) => f.path)).toEqual([]);
    const methods = files
      .filter((f) => f.path.startsWith('infra/db/'))
      .flatMap((f) =>
        [...f.text.matchAll(/^\s*(?:async\s+)?(\w*(?:slack|lark)\w*)\s*\(/gim)].map((m) => `${f.path}: ${m[1]}`),
      );
    expect(methods).toEqual([]);
  });

  it('keeps the shared messenger code free of any one messenger', () => {
    expect(offenders((p) => p.startsWith('messengers/shared/'), /^@slack|^@larksuiteoapi|\/slack\/|\/lark\//)).toEqual(
      [],
    );
  });

  it('keeps the domain free of messengers, databases, schedulers, frameworks and adapters', () => {
    const forbidden =
      /^@slack|^@larksuiteoapi|^@prisma|^pg$|^@electric-sql|^node-cron|^fastify|^@fastify|^pino|^yaml$|^(node:)?fs(\/promises)?$|generated|\/infra\/|\/messengers\/|\/http\/|\/jobs\/|\/config\/|\/i18n\/|\/importer\/|\/exporter\/|\/cli\//;
    expect(offenders((p) => p.startsWith('domain/'), forbidden)).toEqual([]);
    // The rule itself catches what it names.
    for (const spec of [
      'fastify',
      'pino',
      'yaml',
      'node:fs',
      'fs/promises',
      '../../i18n/catalog.js',
      '../cli/leads.js',
    ])
      expect(forbidden.test(spec), spec).toBe(true);
  });

  it('keeps process-level scheduling (timers, the event loop) out of the domain: time is an input', () => {
    const tricks = files
      .filter(
        (f) =>
          f.path.startsWith('domain/') && /\b(setImmediate|setTimeout|setInterval|process\.nextTick)\(/.test(f.text),
      )
      .map((f) => f.path);
    expect(tricks).toEqual([]);
  });

  it('keeps each messenger adapter out of the others', () => {
    for (const adapter of ['slack', 'lark', 'web']) {
      const others = new RegExp(`/(${['slack', 'lark', 'web'].filter((a) => a !== adapter).join('|')})/`);
      expect(offenders((p) => p.startsWith(`messengers/${adapter}/`), others)).toEqual([]);
    }
  });

  it('uses Prisma and database drivers only in infra/db', () => {
    expect(
      offenders((p) => !p.startsWith('infra/db/'), /^@prisma|generated\/prisma|^pg$|^@electric-sql|pglite/),
    ).toEqual([]);
  });

  it('uses node-cron only in the scheduler', () => {
    expect(offenders((p) => p !== 'jobs/scheduler.ts', /^node-cron/)).toEqual([]);
  });

  it('uses the Slack SDK only in the Slack adapter, and the Lark SDK only in the Lark adapter', () => {
    expect(offenders((p) => !p.startsWith('messengers/slack/'), /^@slack/)).toEqual([]);
    expect(offenders((p) => !p.startsWith('messengers/lark/'), /^@larksuiteoapi/)).toEqual([]);
  });

  it('lets nothing but the composition roots import the messenger adapters (no arrow runs back up)', () => {
    // The demo day is a client of the running app, and names the playground's interactions by their ids.
    const roots = ['app.ts', 'main.ts', 'demo/main.ts', 'demo/demo-day.ts'];
    const outside = (p: string) => !p.startsWith('messengers/') && !roots.includes(p);
    expect(offenders(outside, /\/messengers\//)).toEqual([]);
  });

  it('keeps the message catalog free of adapters, databases and frameworks', () => {
    expect(offenders((p) => p.startsWith('i18n/'), /^@|^fastify|^pg$|\/messengers\/|\/infra\/|\/http\//)).toEqual([]);
  });

  it('reads process.env only in the entry points (server, demo and admin CLI)', () => {
    const readers = files.filter((f) => /process\.env/.test(f.text)).map((f) => f.path);
    expect(readers.sort()).toEqual(['cli/leads.ts', 'demo/main.ts', 'main.ts']);
  });

  it('makes Slack text objects only in slack-text.ts, so no view can forget to escape', () => {
    const slack = files.filter((f) => f.path.startsWith('messengers/slack/') && !f.path.endsWith('slack-text.ts'));
    expect(slack.length).toBeGreaterThan(5);
    const makers = slack.filter((f) => /type:\s*'(mrkdwn|plain_text)'/.test(f.text)).map((f) => f.path);
    expect(makers).toEqual([]);
    // Listeners and the notifier send text only as built by the views (textMessage and the builders).
    const senders = slack.filter((f) => /listeners\/|notifier\.ts$/.test(f.path) && /\btext:\s/.test(f.text));
    expect(senders.map((f) => f.path)).toEqual([]);
  });
});
