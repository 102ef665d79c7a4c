export type Grade = 'poor' | 'medium' | 'good';
export type Priority = 'low' | 'medium' | 'high';

/** One line of a score's explanation: which rule added how many points. */
export interface ScoreLine {
  rule: string;
  label: string;
  points: number;
}

/** A test on one fact of a lead; every given test must hold. Text comparisons ignore case. */
export interface Condition {
  /** A lead field ("title"), "sourceCategory", "budget", "signals.visits" or "attributes.occupation". */
  field: string;
  present?: boolean;
  in?: readonly (string | number | boolean)[];
  contains?: readonly string[];
  gte?: number;
  lt?: number;
  minLength?: number;
}

export interface ScoreRule {
  id: string;
  label?: string;
  group: 'fit' | 'behaviour';
  when: readonly Condition[];
  points: number;
}

export interface ScoringConfig {
  base: number;
  rules: readonly ScoreRule[];
  /** A score at or above `high` is high priority, at or above `medium` medium, else low. */
  priority: { high: number; medium: number };
  /** Completeness: the share of `fields` filled in; at or above `good` is good, `medium` medium. */
  grade: { fields: readonly string[]; good: number; medium: number };
}

export type Facts = Record<string, unknown>;

export interface ScoreResult {
  score: number;
  priority: Priority;
  grade: Grade;
  detail: ScoreLine[];
}

function fact(facts: Facts, path: string): unknown {
  const dot = path.indexOf('.');
  if (dot < 0) return facts[path];
  const parent = facts[path.slice(0, dot)];
  return parent && typeof parent === 'object' ? (parent as Record<string, unknown>)[path.slice(dot + 1)] : undefined;
}

const isPresent = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== false;
const lower = (v: unknown) => String(v).toLowerCase();

export function conditionHolds(c: Condition, facts: Facts): boolean {
  const value = fact(facts, c.field);
  if (c.present !== undefined && isPresent(value) !== c.present) return false;
  if (c.in && !(isPresent(value) && c.in.some((x) => lower(x) === lower(value)))) return false;
  if (c.contains && !(isPresent(value) && c.contains.some((x) => lower(value).includes(lower(x))))) return false;
  const n = typeof value === 'number' ? value : Number.NaN;
  if (c.gte !== undefined && !(n >= c.gte)) return false;
  if (c.lt !== undefined && !(n < c.lt)) return false;
  if (c.minLength !== undefined && !(typeof value === 'string' && value.length >= c.minLength)) return false;
  return true;
}

export function ruleMatches(rule: ScoreRule, facts: Facts): boolean {
  return rule.when.every((c) => conditionHolds(c, facts));
}

export function gradeOf(config: ScoringConfig, facts: Facts): Grade {
  const fields = config.grade.fields;
  if (fields.length === 0) return 'good';
  const share = fields.filter((f) => isPresent(fact(facts, f))).length / fields.length;
  return share >= config.grade.good ? 'good' : share >= config.grade.medium ? 'medium' : 'poor';
}

export function priorityOf(config: ScoringConfig, score: number): Priority {
  return score >= config.priority.high ? 'high' : score >= config.priority.medium ? 'medium' : 'low';
}

/** Score, priority, grade and the explanation: every matched rule and its points, largest first. */
export function scoreLead(config: ScoringConfig, facts: Facts): ScoreResult {
  const detail = config.rules
    .filter((rule) => rule.points !== 0 && ruleMatches(rule, facts))
    .map((rule) => ({ rule: rule.id, label: rule.label ?? rule.id, points: rule.points }))
    .sort((a, b) => Math.abs(b.points) - Math.abs(a.points));
  const score = config.base + detail.reduce((sum, line) => sum + line.points, 0);
  return { score, priority: priorityOf(config, score), grade: gradeOf(config, facts), detail };
}

const SENIOR_TITLES = [
  'ceo',
  'cto',
  'cfo',
  'coo',
  'founder',
  'owner',
  'president',
  'director',
  'vp',
  'vice president',
  'head of',
  'partner',
  '总经理',
  '总监',
  '董事',
  '总裁',
  '负责人',
  '创始人',
  '经理',
];

/** What a team gets without its own rules: fit first, behaviour second, explainable at a glance. */
export const DEFAULT_SCORING: ScoringConfig = {
  base: 0,
  rules: [
    { id: 'budget_known', label: 'Budget known', group: 'fit', when: [{ field: 'budget', present: true }], points: 15 },
    { id: 'need_clear', label: 'Need described', group: 'fit', when: [{ field: 'need', minLength: 30 }], points: 10 },
    {
      id: 'decision_maker',
      label: 'Decision maker',
      group: 'fit',
      when: [{ field: 'decisionRole', in: ['decision_maker'] }],
      points: 20,
    },
    {
      id: 'influencer',
      label: 'Influences the decision',
      group: 'fit',
      when: [{ field: 'decisionRole', in: ['influencer'] }],
      points: 8,
    },
    {
      id: 'senior_title',
      label: 'Senior title',
      group: 'fit',
      when: [{ field: 'title', contains: SENIOR_TITLES }],
      points: 10,
    },
    {
      id: 'reliable_source',
      label: 'Reliable source',
      group: 'fit',
      when: [{ field: 'source', in: ['referral', 'event', 'partner_exchange'] }],
      points: 10,
    },
    {
      id: 'unverified_source',
      label: 'Bought or crawled contact',
      group: 'fit',
      when: [{ field: 'source', in: ['purchased_data', 'crawled'] }],
      points: -5,
    },
    { id: 'visits_3', label: '3+ visits', group: 'behaviour', when: [{ field: 'signals.visits', gte: 3 }], points: 5 },
    {
      id: 'visits_10',
      label: '10+ visits',
      group: 'behaviour',
      when: [{ field: 'signals.visits', gte: 10 }],
      points: 5,
    },
    {
      id: 'downloaded',
      label: 'Downloaded content',
      group: 'behaviour',
      when: [{ field: 'signals.downloads', gte: 1 }],
      points: 5,
    },
    {
      id: 'attended_event',
      label: 'Attended an event',
      group: 'behaviour',
      when: [{ field: 'signals.eventsAttended', gte: 1 }],
      points: 10,
    },
  ],
  priority: { high: 45, medium: 20 },
  grade: {
    fields: ['name', 'company', 'title', 'phone', 'email', 'region', 'industry', 'companySize', 'need', 'budget'],
    good: 0.7,
    medium: 0.4,
  },
};
