import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
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
const importsOf = (text: string) => [...text.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? '');

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
  it('finds the source files it checks', () => {
    expect(files.filter((f) => f.path.startsWith('domain/')).length).toBeGreaterThan(5);
  });

  it('keeps the domain free of messengers, databases, schedulers and adapters', () => {
    const forbidden =
      /^@slack|^@larksuiteoapi|^@prisma|^pg$|^@electric-sql|^node-cron|generated|\/infra\/|\/messengers\/|\/http\/|\/jobs\/|\/config\//;
    expect(offenders((p) => p.startsWith('domain/'), forbidden)).toEqual([]);
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

  it('lets nothing but the composition root import the messenger adapters (no arrow runs back up)', () => {
    const outside = (p: string) => !p.startsWith('messengers/') && p !== 'app.ts' && p !== 'main.ts';
    expect(offenders(outside, /\/messengers\//)).toEqual([]);
  });

  it('keeps the message catalog free of adapters, databases and frameworks', () => {
    expect(offenders((p) => p.startsWith('i18n/'), /^@|^fastify|^pg$|\/messengers\/|\/infra\/|\/http\//)).toEqual([]);
  });

  it('reads process.env only in the entry points (server and admin CLI)', () => {
    const readers = files.filter((f) => /process\.env/.test(f.text)).map((f) => f.path);
    expect(readers.sort()).toEqual(['cli/leads.ts', 'main.ts']);
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
