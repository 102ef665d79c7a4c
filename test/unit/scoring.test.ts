import { describe, expect, it } from 'vitest';
import { auc, fitLogistic, holdoutMask, seededRandom, toScoringConfig } from '../../src/domain/scoring/calibrate.js';
import {
  conditionHolds,
  DEFAULT_SCORING,
  gradeOf,
  type ScoringConfig,
  scoreLead,
} from '../../src/domain/scoring/score-rules.js';

describe('score rule conditions', () => {
  const facts = {
    title: 'Head of Sales',
    source: 'referral',
    signals: { visits: 4 },
    attributes: { occupation: 'Working Professional' },
    need: 'short',
  };

  it.each([
    [{ field: 'title', contains: ['head of'] }, true],
    [{ field: 'title', contains: ['ceo'] }, false],
    [{ field: 'source', in: ['REFERRAL', 'event'] }, true],
    [{ field: 'signals.visits', gte: 4 }, true],
    [{ field: 'signals.visits', gte: 5 }, false],
    [{ field: 'signals.visits', lt: 5 }, true],
    [{ field: 'signals.downloads', gte: 0 }, false],
    [{ field: 'attributes.occupation', in: ['working professional'] }, true],
    [{ field: 'budget', present: false }, true],
    [{ field: 'budget', present: true }, false],
    [{ field: 'need', minLength: 6 }, false],
  ])('%j → %s', (condition, holds) => expect(conditionHolds(condition, facts)).toBe(holds));

  it('sums matched rules onto the base and sets priority by thresholds', () => {
    const config: ScoringConfig = {
      ...DEFAULT_SCORING,
      base: 10,
      rules: [
        { id: 'a', group: 'fit', when: [{ field: 'x', gte: 1 }], points: 30 },
        { id: 'b', group: 'behaviour', when: [{ field: 'y', present: true }], points: -5 },
        {
          id: 'c',
          group: 'fit',
          when: [
            { field: 'x', gte: 1 },
            { field: 'y', present: false },
          ],
          points: 7,
        },
      ],
      priority: { high: 40, medium: 20 },
    };
    expect(scoreLead(config, { x: 2, y: 'z' })).toMatchObject({ score: 35, priority: 'medium' });
    expect(scoreLead(config, { x: 2 })).toMatchObject({ score: 47, priority: 'high' });
    expect(scoreLead(config, {})).toMatchObject({ score: 10, priority: 'low', detail: [] });
  });

  it('grades completeness against the configured fields', () => {
    const config = { ...DEFAULT_SCORING, grade: { fields: ['a', 'b', 'c', 'd'], good: 0.75, medium: 0.5 } };
    expect(gradeOf(config, { a: 1, b: 1, c: 1 })).toBe('good');
    expect(gradeOf(config, { a: 1, b: 1, c: '' })).toBe('medium');
    expect(gradeOf(config, { a: 1 })).toBe('poor');
  });
});

describe('calibration math', () => {
  it('computes AUC with ties counted half', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBe(0.75);
    expect(auc([1, 1, 1, 1], [false, true, false, true])).toBe(0.5);
    expect(auc([3, 2, 1], [true, true, false])).toBe(1);
    expect(auc([1, 2], [true, true])).toBeNaN();
  });

  it('draws the same hold-out for the same seed, of the asked size', () => {
    const a = holdoutMask(1000, 0.3, 7);
    expect(a.filter(Boolean).length).toBe(300);
    expect(holdoutMask(1000, 0.3, 7)).toEqual(a);
    expect(holdoutMask(1000, 0.3, 8)).not.toEqual(a);
  });

  it('recovers known log-odds from simulated leads and turns them into points', () => {
    const random = seededRandom(1);
    const truth = { intercept: -1, weights: [1.5, -0.8, 0] };
    const x: Uint8Array[] = [];
    const y: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const row = Uint8Array.from([random() < 0.5 ? 1 : 0, random() < 0.3 ? 1 : 0, random() < 0.5 ? 1 : 0]);
      const z = truth.intercept + truth.weights.reduce((s, w, j) => s + w * (row[j] as number), 0);
      x.push(row);
      y.push(random() < 1 / (1 + Math.exp(-z)));
    }
    const model = fitLogistic(x, y, 0.1);
    expect(model.intercept).toBeCloseTo(-1, 1);
    for (const [j, w] of model.weights.entries()) expect(w).toBeCloseTo(truth.weights[j] as number, 1);
    const rules = ['a', 'b', 'c'].map((id) => ({
      id,
      group: 'fit' as const,
      when: [{ field: id, present: true }],
      points: 0,
    }));
    const config = toScoringConfig(model, rules, DEFAULT_SCORING);
    // 10 points per doubling of the odds: 1.5 log-odds ≈ 22 points, an even chance = 50.
    // Sampling noise moves a rounded point by at most one.
    for (const [j, r] of config.rules.entries())
      expect(Math.abs(r.points - ([22, -12, 0][j] as number))).toBeLessThanOrEqual(1);
    expect(Math.abs(config.base - 36)).toBeLessThanOrEqual(1);
    expect(config.priority).toEqual({ high: 56, medium: 38 });
  });
});
