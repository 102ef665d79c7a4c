/**
 * Matching on people of fourteen markets it was not tuned to (see matching-world.ts): each half's
 * people are stored through the real intake on PostgreSQL, then their re-submissions, class by
 * class, and different people who look like them. Prints, per half and class: how many were
 * caught (merged into the right lead, or asked about it), missed, refused, and merged into
 * someone else; the held-out half is the one that counts.
 *
 *   npm run bench:matching      (embedded PostgreSQL, or TEST_DATABASE_URL as an admin URL)
 */
import { parseTeamsConfig, teamDirectory } from '../../src/config/teams-config.js';
import { type IntakeOutcome, intakeLeads } from '../../src/domain/intake/intake-leads.js';
import type { PreparedLead } from '../../src/domain/intake/prepare-lead.js';
import { validateLead } from '../../src/domain/intake/validate-lead.js';
import { seededRandom } from '../../src/domain/scoring/calibrate.js';
import { systemClock } from '../../src/domain/shared/clock.js';
import { openDatabase } from '../../src/infra/db/database.js';
import { PrismaLeadStore } from '../../src/infra/db/lead.repository.js';
import { syncTeams } from '../../src/infra/db/team-sync.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import {
  type Half,
  isSomeone,
  nearMisses,
  original,
  type Raw,
  type Variant,
  variantClasses,
  WORLD_TEAMS,
  type WorldPerson,
  world,
} from './matching-world.js';

/** BENCH_DEBUG=1 prints each miss and wrong match, with the lead it went to; BENCH_SEED and BENCH_PER_MARKET draw another world. */
const DEBUG = process.env.BENCH_DEBUG === '1';
let debugShown = 0;
const PER_MARKET = Number(process.env.BENCH_PER_MARKET ?? 50);
const SEED = Number(process.env.BENCH_SEED ?? 20261207);
const config = parseTeamsConfig(WORLD_TEAMS, 'matching-world');
const teams = teamDirectory(config.teams);

/** One submission's fate: refused (400), or what intake made of it. */
type Sent = { refused: true; problems: string } | { refused: false; outcome: IntakeOutcome };

interface Row {
  label: string;
  total: number;
  exact: number;
  asked: number;
  missed: number;
  refused: number;
  /** Merged into (or sent as a repeat of) another stored person's lead. */
  wrong: number;
}

async function main(): Promise<void> {
  const server = await startPostgres();
  const refusedExamples: string[] = [];
  console.log(
    `Leadpool matching on unseen data: ${PER_MARKET} people per market in 14 markets per half (seed ${SEED}), ` +
      'through the real intake on PostgreSQL, a database of its own per half. ' +
      'Caught = merged into the right lead, or asked about it (directly, or by joining a lead that asks about it).',
  );
  const totals: Record<Half, { refused: number; submissions: number; falseMerges: number; lowest: number }> = {
    dev: { refused: 0, submissions: 0, falseMerges: 0, lowest: 1 },
    'held-out': { refused: 0, submissions: 0, falseMerges: 0, lowest: 1 },
  };
  try {
    for (const half of ['dev', 'held-out'] as const) {
      const database = await createDatabase(server.adminUrl, 'lp_bench_world');
      const db = await openDatabase({ url: database.url, dataDir: '', poolSize: 5 });
      try {
        await syncTeams(db.prisma, config, systemClock.now());
        await runHalf(half, new PrismaLeadStore(db.prisma), totals[half], refusedExamples);
      } finally {
        await db.close();
        await database.drop();
      }
    }
    for (const half of ['dev', 'held-out'] as const) {
      const t = totals[half];
      console.log(
        `  ${half}: lowest recall ${(t.lowest * 100).toFixed(1)}% (target 99%), false merges ${t.falseMerges} (target 0), ` +
          `refused ${t.refused} of ${t.submissions} submissions (target 0)`,
      );
    }
    for (const example of refusedExamples) console.log(`  refused: ${example}`);
  } finally {
    await server.stop();
  }
}

/** One half on its own database: its people stored, then their variants and look-alikes sent. */
async function runHalf(
  half: Half,
  store: PrismaLeadStore,
  t: { refused: number; submissions: number; falseMerges: number; lowest: number },
  refusedExamples: string[],
): Promise<void> {
  const send = async (raws: readonly Raw[]): Promise<Sent[]> => {
    const out: Sent[] = raws.map(() => ({ refused: true, problems: '' }));
    const valid: { at: number; lead: PreparedLead }[] = [];
    raws.forEach((raw, at) => {
      const checked = validateLead(raw, teams, config.sources);
      if (checked.ok) valid.push({ at, lead: checked.lead });
      else {
        const problems = JSON.stringify('problems' in checked ? checked.problems : checked);
        out[at] = { refused: true, problems };
        if (refusedExamples.length < 12) refusedExamples.push(`${JSON.stringify(raw)} → ${problems}`);
      }
    });
    for (let i = 0; i < valid.length; i += 500) {
      const slice = valid.slice(i, i + 500);
      const deps = { store, teams, clock: systemClock };
      const result = await intakeLeads(
        deps,
        slice.map((v) => v.lead),
        'batch_api',
        undefined,
        { postCards: false },
      );
      if (result.kind !== 'done') throw new Error(result.kind);
      result.outcomes.forEach((outcome, j) => {
        out[(slice[j] as { at: number }).at] = { refused: false, outcome };
      });
    }
    return out;
  };

  const random = seededRandom(SEED + (half === 'dev' ? 0 : 1));
  const people = world(half, PER_MARKET, random);
  const firsts = await send(people.map((p) => original(p, random)));
  const leadOf = new Map<number, number>();
  const seeded = new Set<number>();
  firsts.forEach((s, i) => {
    if (DEBUG && (s.refused || s.outcome.kind !== 'created'))
      console.log(`  [original] ${JSON.stringify(original(people[i] as WorldPerson, () => 0))} → ${JSON.stringify(s)}`);
    if (!s.refused && s.outcome.kind === 'created') {
      leadOf.set((people[i] as WorldPerson).id, s.outcome.leadId);
      seeded.add(s.outcome.leadId);
    }
  });
  t.submissions += people.length;
  t.refused += firsts.filter((s) => s.refused).length;
  /** A new lead pooled as possibly another (a question on its card) → that other lead. */
  const askedAbout = new Map<number, number>();
  const rows: Row[] = [];
  for (const [label, variants] of variantClasses(people, random)) {
    const row = tally(label, variants, await send(variants.map((v) => v.raw)), leadOf, seeded, askedAbout);
    rows.push(row);
    t.lowest = Math.min(t.lowest, (row.exact + row.asked) / Math.max(1, row.total));
  }
  const missRows: Row[] = [];
  for (const [label, all] of nearMisses(people, random)) {
    const misses = all.filter((v) => !isSomeone(v.raw, people));
    // A near-miss is someone new: "caught" would be wrong; what counts is merged (wrong) or asked.
    missRows.push(tally(label, misses, await send(misses.map((v) => v.raw)), new Map(), seeded, askedAbout));
  }
  for (const row of [...rows, ...missRows]) {
    t.submissions += row.total;
    t.refused += row.refused;
  }
  t.falseMerges += rows.reduce((n, r) => n + r.wrong, 0) + missRows.reduce((n, r) => n + r.wrong, 0);
  print(half, people.length, rows, missRows);
}

/** Counts one class: each variant's outcome against the lead of the person it is. */
function tally(
  label: string,
  variants: readonly Variant[],
  sent: readonly Sent[],
  leadOf: Map<number, number>,
  seeded: Set<number>,
  askedAbout: Map<number, number>,
): Row {
  const row: Row = { label, total: variants.length, exact: 0, asked: 0, missed: 0, refused: 0, wrong: 0 };
  sent.forEach((s, i) => {
    if (s.refused) {
      row.refused++;
      return;
    }
    const want = leadOf.get((variants[i] as Variant).person.id);
    const found = foundIn(s.outcome);
    // Joining a lead that is itself a question about another (an earlier unmarked spelling) is that question.
    const via = found.merged !== null && want !== undefined ? askedAbout.get(found.merged) : undefined;
    const { merged, asked } = via === want && via !== undefined ? { merged: null, asked: via } : found;
    if (s.outcome.kind === 'created' && s.outcome.possible)
      askedAbout.set(s.outcome.leadId, s.outcome.possible.duplicateOf);
    if (DEBUG && !(merged !== null && merged === want) && !(asked !== null && asked === want) && debugShown++ < 5000)
      console.log(
        `  [${label}] ${JSON.stringify((variants[i] as Variant).raw)} want ${want} → ${JSON.stringify(s.outcome)}`,
      );
    if (merged !== null && merged === want) row.exact++;
    else if (merged !== null && seeded.has(merged)) row.wrong++;
    else if (asked !== null && (want === undefined ? seeded.has(asked) : asked === want)) row.asked++;
    else row.missed++;
  });
  return row;
}

/** The stored lead an outcome merged into (or called it a repeat of), or asked about. */
function foundIn(o: IntakeOutcome): { merged: number | null; asked: number | null } {
  if (o.kind === 'merged') return { merged: o.duplicateOf, asked: null };
  if (o.kind === 'duplicate') return { merged: o.duplicateOf, asked: null };
  if (o.kind === 'awaiting_owner') return { merged: null, asked: o.duplicateOf };
  return { merged: null, asked: o.possible?.duplicateOf ?? null };
}

function print(half: Half, people: number, rows: Row[], missRows: Row[]): void {
  const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1).padStart(5)}%`;
  console.log(`\n  ${half} half: ${people} people`);
  console.log(`  ${'re-submissions of a stored person'.padEnd(64)} caught  (merged + asked)   missed refused wrong`);
  for (const r of rows)
    console.log(
      `  ${r.label.padEnd(64)} ${pct(r.exact + r.asked, r.total)} (${r.exact} + ${r.asked} of ${r.total})`.padEnd(110) +
        ` ${String(r.missed).padStart(6)} ${String(r.refused).padStart(7)} ${String(r.wrong).padStart(5)}`,
    );
  console.log(`  ${'different people who look like a stored one'.padEnd(64)} merged  asked   apart  refused`);
  for (const r of missRows)
    console.log(
      `  ${r.label.padEnd(64)} ${String(r.wrong).padStart(6)} ${String(r.asked).padStart(6)} ${String(r.missed).padStart(7)} ${String(r.refused).padStart(8)}  (of ${r.total})`,
    );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
