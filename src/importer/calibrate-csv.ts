import { leadFacts } from '../domain/intake/prepare-lead.js';
import type { SourceCatalog } from '../domain/intake/sources.js';
import { validateLead } from '../domain/intake/validate-lead.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import { auc, fitLogistic, holdoutMask, toScoringConfig } from '../domain/scoring/calibrate.js';
import { ruleMatches, type ScoringConfig } from '../domain/scoring/score-rules.js';
import { applyMapping, type ColumnMapping } from './column-mapping.js';
import { readCsv } from './csv-rows.js';

export interface CalibrationReport {
  rows: number;
  used: number;
  skipped: number;
  train: number;
  holdout: number;
  wonShare: number;
  /** AUC on the hold-out of the fitted probabilities, and of the rounded integer scores. */
  aucModel: number;
  aucPoints: number;
  aucTrain: number;
  /**
   * The same fit without the behaviour rules (group `behaviour`, or reading `signals.*`): what a
   * score worth at intake, before any visit or time on site is known, reaches on the hold-out.
   * Null when there are no behaviour rules to leave out.
   */
  intakeOnly: { aucModel: number; rules: number } | null;
  config: ScoringConfig;
}

/** A rule that reads what a lead does after it came in (visits, downloads, time on site, events). */
export const isBehaviourRule = (rule: ScoringConfig['rules'][number]) =>
  rule.group === 'behaviour' || rule.when.some((c) => c.field.startsWith('signals.'));

/**
 * Fits the points of `candidates` from won/lost history in a CSV: each lead is cleaned exactly as
 * at intake, each rule becomes a 0/1 feature, a logistic regression is fitted on the training part
 * and judged on a hold-out it never saw.
 */
export async function calibrateFromCsv(
  deps: { teams: TeamDirectory; sources: SourceCatalog },
  options: { file: string; mapping: ColumnMapping; candidates: ScoringConfig; holdout: number; seed: number },
): Promise<CalibrationReport> {
  if (!options.mapping.outcome)
    throw new Error('The mapping has no `outcome` column: calibration needs won/lost history.');
  const rules = options.candidates.rules;
  const x: Uint8Array[] = [];
  const y: boolean[] = [];
  let rows = 0;
  const source = readCsv(options.file, {
    encoding: options.mapping.encoding,
    delimiter: options.mapping.delimiter,
    onProblem: () => rows++,
  });
  for await (const row of source.rows) {
    rows++;
    const mapped = applyMapping(options.mapping, row.record);
    const checked = validateLead(mapped.lead, deps.teams, deps.sources);
    if (!checked.ok || mapped.won === null) continue;
    const facts = leadFacts(checked.lead, deps.sources);
    x.push(Uint8Array.from(rules, (rule) => (ruleMatches(rule, facts) ? 1 : 0)));
    y.push(mapped.won);
  }
  const mask = holdoutMask(x.length, options.holdout, options.seed);
  const pick = <T>(items: T[], held: boolean) => items.filter((_, i) => mask[i] === held);
  const model = fitLogistic(pick(x, false), pick(y, false));
  const config = toScoringConfig(model, rules, options.candidates);
  const logit = (row: Uint8Array) => row.reduce((z, v, j) => z + v * (model.weights[j] ?? 0), model.intercept);
  const points = (row: Uint8Array) => row.reduce((s, v, j) => s + v * (config.rules[j]?.points ?? 0), config.base);
  const heldX = pick(x, true);
  const heldY = pick(y, true);
  const intakeColumns = rules.flatMap((rule, j) => (isBehaviourRule(rule) ? [] : [j]));
  return {
    rows,
    used: x.length,
    skipped: rows - x.length,
    train: x.length - heldX.length,
    holdout: heldX.length,
    wonShare: y.filter(Boolean).length / Math.max(1, y.length),
    aucModel: auc(heldX.map(logit), heldY),
    aucPoints: auc(heldX.map(points), heldY),
    aucTrain: auc(pick(x, false).map(logit), pick(y, false)),
    intakeOnly:
      intakeColumns.length < rules.length
        ? {
            aucModel: holdoutAuc(intakeColumns, pick(x, false), pick(y, false), heldX, heldY),
            rules: intakeColumns.length,
          }
        : null,
    config,
  };
}

/** The hold-out AUC of a model fitted on only these feature columns. */
function holdoutAuc(
  columns: readonly number[],
  trainX: readonly Uint8Array[],
  trainY: readonly boolean[],
  heldX: readonly Uint8Array[],
  heldY: readonly boolean[],
): number {
  const only = (row: Uint8Array) => Uint8Array.from(columns, (j) => row[j] ?? 0);
  const model = fitLogistic(trainX.map(only), trainY);
  const logit = (row: Uint8Array) => row.reduce((z, v, j) => z + v * (model.weights[j] ?? 0), model.intercept);
  return auc(heldX.map(only).map(logit), heldY);
}
