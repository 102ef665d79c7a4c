/**
 * Dependency policy, run by CI and `npm run deps:check`:
 *  1. every direct dependency is pinned to one exact version;
 *  2. every installed package's licence is on the allow-list (or a named exception with a reason);
 *  3. known advisories: `npm audit` for high and critical issues in production dependencies. When the
 *     advisory service cannot be reached (as on machines without general network access) the step
 *     says so plainly and is skipped, instead of failing or pretending to have passed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ALLOWED_LICENSES = new Set([
  'MIT',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'CC0-1.0',
  'Unlicense',
  'Zlib',
]);

/** Weak-copyleft packages used unmodified, each with why it is acceptable. */
export const LICENSE_EXCEPTIONS: Record<string, string> = {
  elkjs: 'EPL-2.0; graph layout inside the Prisma CLI studio, not shipped in our code',
  lightningcss: 'MPL-2.0; CSS tooling inside the test runner, not shipped',
  '@resvg/resvg-js': 'MPL-2.0; renders chart SVG to PNG, used unmodified as a prebuilt library',
  argparse:
    'Python-2.0 (permissive); the command-line parser of a font converter our font subsetting installs, never run',
  '@expo-google-fonts/noto-sans-sc': 'MIT AND OFL-1.1; the CJK font for chart labels, shipped unmodified',
};

const EXACT = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

export interface Lockfile {
  packages: Record<string, { version?: string; license?: string; link?: boolean }>;
}

export function unpinned(pkg: PackageJson): string[] {
  const all = { ...pkg.dependencies, ...pkg.devDependencies };
  return (
    Object.entries(all)
      // A package kept in this repository (file:) is pinned by the commit itself.
      .filter(([, spec]) => !EXACT.test(spec) && !spec.startsWith('file:'))
      .map(([name, spec]) => `${name}@${spec}`)
  );
}

/** An SPDX expression is allowed when every AND part, and at least one OR part, is allowed. */
export function licenseAllowed(expression: string): boolean {
  const cleaned = expression.replace(/[()]/g, '').trim();
  if (/\s+OR\s+/i.test(cleaned)) return cleaned.split(/\s+OR\s+/i).some(licenseAllowed);
  if (/\s+AND\s+/i.test(cleaned)) return cleaned.split(/\s+AND\s+/i).every(licenseAllowed);
  return ALLOWED_LICENSES.has(cleaned);
}

export function licenseViolations(lock: Lockfile): string[] {
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    // Links and their targets are packages of this repository (their files are ours), not installs.
    if (!path || entry.link || (!entry.version && Object.keys(entry).length === 0)) continue;
    const name = path.replace(/^.*node_modules\//, '');
    const base = name.replace(/-(?:android|darwin|freebsd|linux|win32)-.*$/, '');
    if (LICENSE_EXCEPTIONS[name] || LICENSE_EXCEPTIONS[base]) continue;
    const license = entry.license ?? '(none)';
    if (!licenseAllowed(license)) problems.push(`${name}@${entry.version ?? '?'}: ${license}`);
  }
  return problems;
}

export type AuditResult =
  | { kind: 'passed'; counts: Record<string, number> }
  | { kind: 'failed'; counts: Record<string, number> }
  | { kind: 'skipped'; reason: string };

const UNREACHABLE =
  /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|audit endpoint|timed out/i;

/** Reads `npm audit --json` output; an answer without vulnerability counts means the service was not reached. */
export function readAudit(stdout: string, stderr: string): AuditResult {
  let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: { summary?: string } } = {};
  try {
    report = JSON.parse(stdout || '{}');
  } catch {
    return { kind: 'skipped', reason: `npm audit gave no readable answer (${stderr.trim().slice(0, 120)})` };
  }
  const counts = report.metadata?.vulnerabilities;
  if (!counts) {
    const why = `${report.error?.summary ?? ''} ${stderr}`.trim();
    return {
      kind: 'skipped',
      reason: UNREACHABLE.test(why)
        ? 'the advisory service is unreachable from this machine'
        : `npm audit gave no report (${why.replace(/\S+:\/\/\S+/g, '[url]').slice(0, 200)})`,
    };
  }
  return (counts.high ?? 0) + (counts.critical ?? 0) > 0 ? { kind: 'failed', counts } : { kind: 'passed', counts };
}

function runAudit(cwd: string): Promise<AuditResult> {
  return new Promise((done) => {
    execFile(
      'npm',
      ['audit', '--json', '--omit=dev', '--audit-level=high'],
      { cwd, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException & { killed?: boolean }).killed)
          return done({ kind: 'skipped', reason: 'the advisory service did not answer within 30 s' });
        done(readAudit(stdout, stderr));
      },
    );
  });
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '..');
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as Lockfile;
  let failed = false;

  const loose = unpinned(pkg);
  console.log(
    `pinned versions: ${loose.length === 0 ? 'all direct dependencies are exact' : `NOT pinned: ${loose.join(', ')}`}`,
  );
  failed ||= loose.length > 0;

  const count = Object.keys(lock.packages).length - 1;
  const bad = licenseViolations(lock);
  console.log(
    bad.length === 0
      ? `licences: ${count} installed packages, all allowed (${Object.keys(LICENSE_EXCEPTIONS).length} named exceptions)`
      : `licences: not allowed:\n  ${bad.join('\n  ')}`,
  );
  failed ||= bad.length > 0;

  const audit = await runAudit(root);
  if (audit.kind === 'skipped')
    console.log(`advisories: SKIPPED, ${audit.reason}; run \`npm audit\` where it is reachable`);
  else console.log(`advisories: ${audit.kind} (${JSON.stringify(audit.counts)})`);
  failed ||= audit.kind === 'failed';

  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) await main();
