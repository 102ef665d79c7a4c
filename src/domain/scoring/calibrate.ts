import type { ScoreRule, ScoringConfig } from './score-rules.js';

/** Seeded PRNG (mulberry32): the same seed gives the same hold-out split on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Indices of a `fraction` hold-out, drawn without replacement. */
export function holdoutMask(n: number, fraction: number, seed: number): boolean[] {
  const random = seededRandom(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const mask = new Array<boolean>(n).fill(false);
  for (const i of order.slice(0, Math.round(n * fraction))) mask[i] = true;
  return mask;
}

/** Area under the ROC curve (Mann-Whitney U, ties counted half). NaN without both outcomes. */
export function auc(scores: readonly number[], labels: readonly boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let rankSumPos = 0;
  let positives = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (labels[idx[k] as number]) {
        rankSumPos += rank;
        positives++;
      }
    }
    i = j + 1;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Solves A x = b (A symmetric positive definite, k×k) by Gaussian elimination with partial pivoting. */
function solve(a: number[][], b: number[]): number[] {
  const k = b.length;
  const m = a.map((row, i) => [...row, b[i] as number]);
  for (let col = 0; col < k; col++) {
    let pivot = col;
    for (let r = col + 1; r < k; r++)
      if (Math.abs((m[r] as number[])[col] as number) > Math.abs((m[pivot] as number[])[col] as number)) pivot = r;
    [m[col], m[pivot]] = [m[pivot] as number[], m[col] as number[]];
    const p = m[col] as number[];
    for (let r = col + 1; r < k; r++) {
      const row = m[r] as number[];
      const f = (row[col] as number) / (p[col] as number);
      for (let c = col; c <= k; c++) row[c] = (row[c] as number) - f * (p[c] as number);
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    const row = m[r] as number[];
    let sum = row[k] as number;
    for (let c = r + 1; c < k; c++) sum -= (row[c] as number) * (x[c] as number);
    x[r] = sum / (row[r] as number);
  }
  return x;
}

export interface LogisticModel {
  intercept: number;
  weights: number[];
}

/**
 * L2-regularised logistic regression fitted by Newton's method. Features are the rules' 0/1
 * matches, so a weight is the change in log-odds when that rule holds. The ridge keeps weights of
 * rare or overlapping rules finite; the intercept is not penalised.
 */
export function fitLogistic(x: readonly Uint8Array[], y: readonly boolean[], l2 = 1, iterations = 25): LogisticModel {
  const k = (x[0]?.length ?? 0) + 1;
  let beta = new Array<number>(k).fill(0);
  for (let iter = 0; iter < iterations; iter++) {
    const grad = new Array<number>(k).fill(0);
    const hess = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < x.length; i++) {
      const row = x[i] as Uint8Array;
      const active = [0];
      for (let j = 0; j < row.length; j++) if (row[j]) active.push(j + 1);
      let z = 0;
      for (const j of active) z += beta[j] as number;
      const p = 1 / (1 + Math.exp(-z));
      const w = p * (1 - p);
      const err = (y[i] ? 1 : 0) - p;
      for (const a of active) {
        grad[a] = (grad[a] as number) + err;
        const h = hess[a] as number[];
        for (const b of active) h[b] = (h[b] as number) + w;
      }
    }
    for (let j = 1; j < k; j++) {
      grad[j] = (grad[j] as number) - l2 * (beta[j] as number);
      (hess[j] as number[])[j] = ((hess[j] as number[])[j] as number) + l2;
    }
    const step = solve(hess, grad);
    beta = beta.map((b, j) => b + (step[j] as number));
    if (Math.max(...step.map(Math.abs)) < 1e-6) break;
  }
  return { intercept: beta[0] as number, weights: beta.slice(1) };
}

/** Points per unit of log-odds: 10 points double the odds of winning the lead. */
export const POINTS_PER_LOG_ODDS = 10 / Math.LN2;

/**
 * Turns a fitted model into a scorecard: score = 50 + 10·log2(odds), so 50 means an even chance.
 * Priority thresholds are set at 60% (high) and 30% (medium) win chance.
 */
export function toScoringConfig(
  model: LogisticModel,
  rules: readonly ScoreRule[],
  template: ScoringConfig,
): ScoringConfig {
  const points = (logOdds: number) => Math.round(logOdds * POINTS_PER_LOG_ODDS);
  const threshold = (p: number) => 50 + points(Math.log(p / (1 - p)));
  return {
    ...template,
    base: 50 + points(model.intercept),
    rules: rules.map((rule, j) => ({ ...rule, points: points(model.weights[j] ?? 0) })),
    priority: { high: threshold(0.6), medium: threshold(0.3) },
  };
}
