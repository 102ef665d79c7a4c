/**
 * Admin commands:
 *   leads import --file leads.csv (--mapping mapping.yaml | --map field=Column …) [--team id]
 *                [--errors report.csv] [--no-post] [--batch 500]
 *   leads calibrate --file history.csv --mapping mapping.yaml --rules candidates.yaml
 *                [--holdout 0.3] [--seed 42] [--out scoring.yaml]
 *   leads export [--team id] [--format csv|json] [--from 2026-11-01] [--to 2026-12-01] [--out file]
 */
import { createWriteStream, existsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { ConfigError, parseEnv } from '../config/env.js';
import {
  loadScoringFile,
  loadTeamsConfig,
  readTeamsFile,
  type TeamsDocument,
  teamDirectory,
  teamsConfigFrom,
} from '../config/teams-config.js';
import { EXAMPLE_TEAMS_CONFIG } from '../config/teams-schema.js';
import { systemClock } from '../domain/shared/clock.js';
import { exportConversions } from '../exporter/export-conversions.js';
import { calibrateFromCsv } from '../importer/calibrate-csv.js';
import { loadMapping, withFlags } from '../importer/column-mapping.js';
import { CsvFileError } from '../importer/csv-rows.js';
import { type ImportProgress, importCsv } from '../importer/import-csv.js';
import { PrismaConversionReader } from '../infra/db/conversion.repository.js';
import { type Database, openDatabase } from '../infra/db/database.js';
import { EmbeddedDatabaseBusyError } from '../infra/db/embedded-lock.js';
import { PrismaLeadStore } from '../infra/db/lead.repository.js';
import { PrismaPolicyStore } from '../infra/db/policy.repository.js';

const USAGE = `Usage:
  npm run leads -- import --file leads.csv --mapping mapping.yaml [--team id] [--errors report.csv] [--no-post]
  npm run leads -- import --file leads.csv --team id --map name="Full name" --map phone=Mobile …
  npm run leads -- calibrate --file history.csv --mapping mapping.yaml --rules candidates.yaml [--holdout 0.3] [--seed 42] [--out scoring.yaml]
  npm run leads -- export [--team id] [--format csv|json] [--from 2026-11-01] [--to 2026-12-01] [--out converted.csv]`;

class UsageError extends Error {}

/** A missing input is one clear line, not a stack trace from deep in a reader. */
class MissingFileError extends Error {}

function requireFile(flag: string, path: string): void {
  if (!existsSync(path)) throw new MissingFileError(`--${flag}: no such file: ${path} (from ${process.cwd()})`);
}

const number = (n: number) => n.toLocaleString('en-US');

function progressPrinter(stream: NodeJS.WriteStream): (p: ImportProgress) => void {
  const started = Date.now();
  let lastDecile = -1;
  return (p) => {
    const share = p.size > 0 ? Math.min(1, p.bytesRead / p.size) : 1;
    const rate = Math.round(p.rows / Math.max(0.001, (Date.now() - started) / 1000));
    const text = `${Math.round(share * 100)}% · ${number(p.rows)} rows · ${number(rate)} rows/s`;
    if (stream.isTTY) {
      const width = 30;
      const done = Math.round(share * width);
      stream.write(`\r[${'#'.repeat(done)}${'-'.repeat(width - done)}] ${text}   `);
      if (share >= 1) stream.write('\n');
    } else if (Math.floor(share * 10) > lastDecile) {
      lastDecile = Math.floor(share * 10);
      stream.write(`${text}\n`);
    }
  };
}

/**
 * The policy in force, as the server reads it: the database's newest version, or the teams file
 * when this file was never applied (then it is applied, as a server start would).
 */
async function policyInForce(db: Database, env: ReturnType<typeof parseEnv>) {
  const path = env.TEAMS_CONFIG ?? EXAMPLE_TEAMS_CONFIG;
  const build = (doc: TeamsDocument) => teamsConfigFrom(doc, 'the policy in force', dirname(path), process.env);
  const versions = new PrismaPolicyStore(db.prisma, { lark: env.LARK_APP_ID });
  return (await versions.start(readTeamsFile(path, process.env), build, systemClock.now())).config;
}

function teamsFromEnv(env: ReturnType<typeof parseEnv>) {
  const config = loadTeamsConfig(env.TEAMS_CONFIG ?? EXAMPLE_TEAMS_CONFIG, process.env);
  return { config, teams: teamDirectory(config.teams) };
}

async function runImport(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      mapping: { type: 'string' },
      map: { type: 'string', multiple: true, default: [] },
      team: { type: 'string' },
      errors: { type: 'string' },
      'no-post': { type: 'boolean', default: false },
      batch: { type: 'string', default: '500' },
    },
  });
  if (!values.file) throw new UsageError('import needs --file');
  requireFile('file', values.file);
  if (!values.mapping && values.map.length === 0)
    throw new UsageError('import needs --mapping or --map field=Column flags');
  if (values.mapping) requireFile('mapping', values.mapping);
  const mapping = withFlags(values.mapping ? loadMapping(values.mapping) : null, values.map, values.team);
  const batchSize = Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 5000)
    throw new UsageError('--batch must be 1 to 5000');
  const env = parseEnv(process.env);
  const { config, teams } = teamsFromEnv(env);
  if (!mapping.team || !teams.find(mapping.team))
    throw new UsageError(
      `unknown team "${mapping.team ?? ''}"; teams: ${config.teams.map((t) => t.id).join(', ')} (set --team or the mapping's team)`,
    );
  // Beside the input, whatever folder the command is run from.
  const errorsPath =
    values.errors ?? join(dirname(values.file), `${basename(values.file).replace(/\.csv$/i, '')}.errors.csv`);

  const db = await openDatabase({
    url: env.DATABASE_URL,
    dataDir: `${env.DATA_DIR}/pglite`,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  try {
    const policy = await policyInForce(db, env);
    const started = Date.now();
    const summary = await importCsv(
      {
        store: new PrismaLeadStore(db.prisma),
        teams: teamDirectory(policy.teams),
        sources: policy.sources,
        clock: systemClock,
      },
      {
        file: values.file,
        mapping,
        errorsPath,
        batchSize,
        postCards: !values['no-post'],
        onProgress: progressPrinter(process.stderr),
      },
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `Read ${number(summary.rows)} rows in ${seconds} s: ${number(summary.created)} new, ${number(summary.merged)} merged into existing leads, ` +
        `${number(summary.awaitingOwner)} waiting for their owner's answer, ${number(summary.duplicates)} duplicates skipped, ${number(summary.rejected)} rejected` +
        (summary.warned > 0 ? `, ${number(summary.warned)} stored with a value kept as typed.` : '.'),
    );
    if (summary.errorsPath) console.log(`Rows not imported, values kept as typed, and why: ${summary.errorsPath}`);
    if (!values['no-post'] && summary.created > 0)
      console.log('New leads are posted to their team channel as a messenger delivers them.');
  } finally {
    await db.close();
  }
}

async function runCalibrate(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      mapping: { type: 'string' },
      rules: { type: 'string' },
      holdout: { type: 'string', default: '0.3' },
      seed: { type: 'string', default: '42' },
      out: { type: 'string' },
    },
  });
  if (!values.file || !values.mapping || !values.rules)
    throw new UsageError('calibrate needs --file, --mapping and --rules');
  requireFile('file', values.file);
  requireFile('mapping', values.mapping);
  requireFile('rules', values.rules);
  const holdout = Number(values.holdout);
  if (!(holdout > 0 && holdout < 1)) throw new UsageError('--holdout must be between 0 and 1, e.g. 0.3');
  const candidates = loadScoringFile(values.rules);
  const env = parseEnv(process.env);
  const { config, teams } = teamsFromEnv(env);
  const report = await calibrateFromCsv(
    { teams, sources: config.sources },
    {
      file: values.file,
      mapping: loadMapping(values.mapping),
      candidates,
      holdout,
      seed: Number(values.seed),
    },
  );
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  console.log(
    `Rows ${number(report.rows)}, used ${number(report.used)} (skipped ${number(report.skipped)}), won ${pct(report.wonShare)}.`,
  );
  console.log(
    `Trained on ${number(report.train)}, held out ${number(report.holdout)} (${pct(holdout)}, seed ${values.seed}).`,
  );
  console.log(
    `AUC on the hold-out: ${report.aucModel.toFixed(3)} (fitted model), ${report.aucPoints.toFixed(3)} (integer points); on training data ${report.aucTrain.toFixed(3)}.`,
  );
  if (report.intakeOnly)
    console.log(
      `Without the behaviour rules (what is known at intake, ${report.intakeOnly.rules} of ${report.config.rules.length} rules): hold-out AUC ${report.intakeOnly.aucModel.toFixed(3)}. ` +
        'Behaviour (visits, time on site) comes later: send it with PATCH /api/leads/{ref}/signals to move the score.',
    );
  console.log(
    `Base ${report.config.base}; priority high ≥ ${report.config.priority.high}, medium ≥ ${report.config.priority.medium}. Points per rule:`,
  );
  for (const rule of [...report.config.rules].sort((a, b) => b.points - a.points))
    console.log(`  ${String(rule.points).padStart(4)}  ${rule.id}${rule.label ? ` (${rule.label})` : ''}`);
  if (values.out) {
    const header = `# Calibrated by leads calibrate from ${basename(values.file)}: hold-out AUC ${report.aucPoints.toFixed(3)}.\n`;
    writeFileSync(values.out, header + stringify(report.config));
    console.log(`Scoring written to ${values.out}; point a team's "scoring:" at it.`);
  }
}

/** A date flag: "2026-11-01" is that day's start in UTC; a full ISO time is taken as given. */
function dateFlag(name: string, text: string | undefined): Date | null {
  if (text === undefined) return null;
  const at = new Date(/^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} must be a date such as 2026-11-01`);
  return at;
}

async function runExport(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      team: { type: 'string' },
      format: { type: 'string', default: 'csv' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
    },
  });
  if (values.format !== 'csv' && values.format !== 'json') throw new UsageError('--format must be csv or json');
  const query = { teamId: values.team ?? null, from: dateFlag('from', values.from), to: dateFlag('to', values.to) };
  const env = parseEnv(process.env);
  const { config, teams } = teamsFromEnv(env);
  if (query.teamId && !teams.find(query.teamId))
    throw new UsageError(`unknown team "${query.teamId}"; teams: ${config.teams.map((t) => t.id).join(', ')}`);
  const db = await openDatabase({ url: env.DATABASE_URL, dataDir: `${env.DATA_DIR}/pglite`, poolSize: 2 });
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  const write = (chunk: string) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
  try {
    const count = await exportConversions(new PrismaConversionReader(db.prisma), query, values.format, write, (n) =>
      process.stderr.write(`${number(n)} converted leads written\n`),
    );
    if (values.out) await new Promise<void>((resolve) => out.end(resolve));
    process.stderr.write(`Exported ${number(count)} converted leads${values.out ? ` to ${values.out}` : ''}.\n`);
  } finally {
    await db.close();
  }
}

async function main(argv: string[]): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const [command, ...rest] = argv;
  if (command === 'import') return runImport(rest);
  if (command === 'calibrate') return runCalibrate(rest);
  if (command === 'export') return runExport(rest);
  throw new UsageError(command ? `unknown command "${command}"` : 'which command?');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
  else if (
    error instanceof ConfigError ||
    error instanceof CsvFileError ||
    error instanceof EmbeddedDatabaseBusyError ||
    error instanceof MissingFileError
  )
    console.error(error.message);
  else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    console.error(`${error.message}\n\n${USAGE}`);
  else console.error('leads failed:', error instanceof Error ? error.message : error);
  process.exit(error instanceof UsageError ? 2 : 1);
});
