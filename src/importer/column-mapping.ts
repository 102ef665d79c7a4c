import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/env.js';
import type { FieldProblem } from '../domain/intake/field-problem.js';

interface ColumnSpec {
  column?: string;
  template?: string;
  map?: Record<string, string | number | boolean>;
  default?: string | number | boolean;
  type: 'text' | 'number' | 'boolean';
}

const valueSpec = z.union([
  z
    .string()
    .min(1)
    .transform((column): ColumnSpec => ({ column, type: 'text' })),
  z.strictObject({
    column: z.string().min(1).optional(),
    /** Text with {Column Name} placeholders, e.g. "Prospect {Lead Number}". */
    template: z.string().min(1).optional(),
    /** Cell value → stored value, matched ignoring case. */
    map: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    type: z.enum(['text', 'number', 'boolean']).default('text'),
  }),
]);

/** How the columns of a CSV export become lead fields: which team, which cells mean "no answer". */
export const mappingSchema = z.strictObject({
  team: z.string().min(1).optional(),
  encoding: z.string().default('utf-8'),
  delimiter: z.string().length(1).default(','),
  blank: z.array(z.string()).default([]),
  fields: z.record(z.string(), valueSpec),
  /** For calibration: the column that says whether the lead was won, and its winning values. */
  outcome: z.strictObject({ column: z.string(), won: z.array(z.string()).min(1) }).optional(),
});

export type ColumnMapping = z.output<typeof mappingSchema>;
type ValueSpec = ColumnSpec;

export function loadMapping(path: string): ColumnMapping {
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('Cannot read the column mapping:', [`${path}: ${(error as Error).message}`]);
  }
  const parsed = mappingSchema.safeParse(raw);
  if (!parsed.success) {
    throw ConfigError.fromZod(`${path} has errors:`, parsed.error);
  }
  return parsed.data;
}

/** `--map field=Column` flags on top of (or instead of) a mapping file. */
export function withFlags(base: ColumnMapping | null, flags: string[], team?: string): ColumnMapping {
  const mapping: ColumnMapping = base ?? { encoding: 'utf-8', delimiter: ',', blank: [], fields: {} };
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq < 1)
      throw new ConfigError('Invalid --map flag:', [`"${flag}": write field=Column, e.g. --map email="E-mail"`]);
    mapping.fields[flag.slice(0, eq)] = { column: flag.slice(eq + 1), type: 'text' };
  }
  return { ...mapping, team: team ?? mapping.team };
}

/** Columns the mapping reads that the file's header lacks. */
export function missingColumns(mapping: ColumnMapping, header: readonly string[]): string[] {
  const have = new Set(header);
  const wanted = Object.values(mapping.fields).flatMap((spec) => [
    ...(spec.column ? [spec.column] : []),
    ...[...(spec.template ?? '').matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? ''),
  ]);
  if (mapping.outcome) wanted.push(mapping.outcome.column);
  return [...new Set(wanted.filter((c) => !have.has(c)))];
}

function cellValue(spec: ValueSpec, row: Record<string, string>, isBlank: (v: string) => boolean): string | undefined {
  if (spec.template) {
    let empty = true;
    const text = spec.template.replace(/\{([^}]+)\}/g, (_, column: string) => {
      const v = row[column]?.trim() ?? '';
      if (!isBlank(v)) empty = false;
      return isBlank(v) ? '' : v;
    });
    return empty ? undefined : text.trim();
  }
  const v = spec.column ? (row[spec.column]?.trim() ?? '') : '';
  return isBlank(v) ? undefined : v;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head = '', ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  const child = (target[head] ?? {}) as Record<string, unknown>;
  target[head] = child;
  setPath(child, rest.join('.'), value);
}

export interface MappedRow {
  lead: Record<string, unknown>;
  problems: FieldProblem[];
  won: boolean | null;
}

/** One CSV row → the intake input shape (with "signals.visits" style paths nested), plus conversion problems. */
export function applyMapping(mapping: ColumnMapping, row: Record<string, string>): MappedRow {
  const blanks = new Set(['', ...mapping.blank.map((b) => b.toLowerCase())]);
  const isBlank = (v: string) => blanks.has(v.toLowerCase());
  const lead: Record<string, unknown> = mapping.team ? { team: mapping.team } : {};
  const problems: FieldProblem[] = [];
  for (const [field, spec] of Object.entries(mapping.fields)) {
    const cell = cellValue(spec, row, isBlank);
    let value: unknown = cell;
    if (cell !== undefined && spec.map) {
      const hit = Object.entries(spec.map).find(([k]) => k.toLowerCase() === cell.toLowerCase());
      value = hit ? hit[1] : (spec.default ?? cell);
    } else if (cell === undefined) value = spec.default;
    if (value === undefined) continue;
    if (spec.type === 'number' && typeof value === 'string') {
      const n = Number(value.replace(/,/g, ''));
      if (!Number.isFinite(n)) {
        problems.push({ field, code: 'not_a_number' });
        continue;
      }
      value = n;
    }
    if (spec.type === 'boolean' && typeof value === 'string') value = /^(yes|y|true|1|是)$/i.test(value);
    setPath(lead, field, value);
  }
  const outcomeCell = mapping.outcome ? row[mapping.outcome.column]?.trim() : undefined;
  const won =
    mapping.outcome && outcomeCell !== undefined && outcomeCell !== ''
      ? mapping.outcome.won.includes(outcomeCell)
      : null;
  return { lead, problems, won };
}
