import type {
  CheckedPolicy,
  PolicyEditor,
  PolicyProblem,
  PolicyProposal,
  PolicyVersionEntry,
} from '../domain/policy/policy.js';
import type { Clock } from '../domain/shared/clock.js';
import { ConfigError } from './env.js';
import type { LivePolicy } from './live-policy.js';
import { type TeamsConfig, type TeamsDocument, teamDirectory } from './teams-config.js';

/** A version to keep: the document, the teams it gives (their members are synced with it), and who and why. */
export interface NewPolicyVersion {
  doc: TeamsDocument;
  config: TeamsConfig;
  source: 'file' | 'chat';
  fileHash: string | null;
  actorId: string | null;
  summary: string;
}

/** Where versions are kept (the database). */
export interface PolicyVersions {
  commit(base: number, next: NewPolicyVersion, now: Date): Promise<number | null>;
  history(limit: number): Promise<PolicyVersionEntry[]>;
}

export interface PolicyEditorDeps {
  live: LivePolicy;
  versions: PolicyVersions;
  /** The teams file as it is on disk now, with its hash; throws a ConfigError when unreadable. */
  readFile(): { doc: TeamsDocument; hash: string };
  /** Checks a document and builds the teams from it; throws a ConfigError naming each problem's path. */
  build(doc: TeamsDocument): TeamsConfig;
  clock: Clock;
}

interface Kept {
  doc: TeamsDocument;
  config: TeamsConfig;
  fileHash: string | null;
}

/** Edits the policy in force: a change is a new document, checked whole, kept as the next version. */
export class TeamsPolicyEditor implements PolicyEditor {
  constructor(private readonly deps: PolicyEditorDeps) {}

  version(): number {
    return this.deps.live.version;
  }

  propose(teamId: string, path: readonly string[], value: unknown): CheckedPolicy {
    const base = this.deps.live.version;
    const doc = structuredClone(this.deps.live.doc);
    const teams = Array.isArray(doc.teams) ? (doc.teams as Record<string, unknown>[]) : [];
    const team = teams.find((t) => t?.id === teamId);
    if (!team) return { ok: false, problems: [{ where: teamId, text: 'no such team' }] };
    const placed = setAt(team, path, value);
    if (typeof placed === 'string')
      return { ok: false, problems: [{ where: `${teamId} ${path.join('.')}`, text: placed }] };
    const where = `teams.${teamId}.${path.join('.')}`;
    const changes = same(placed.before, placed.after)
      ? []
      : [`${where}: ${shown(placed.before)} → ${shown(placed.after)}`];
    return this.checked(base, doc, null, 'chat', changes);
  }

  proposeFile(): CheckedPolicy {
    let file: { doc: TeamsDocument; hash: string };
    try {
      file = this.deps.readFile();
    } catch (error) {
      return { ok: false, problems: problemsOf(error, null) };
    }
    return this.checked(this.deps.live.version, file.doc, file.hash, 'file', differences(this.deps.live.doc, file.doc));
  }

  async commit(proposal: PolicyProposal, actorId: string | null): Promise<number | null> {
    const kept = proposal.doc as Kept;
    const version = await this.deps.versions.commit(
      proposal.baseVersion,
      {
        ...kept,
        source: proposal.source,
        actorId,
        summary: proposal.changes.join('; ') || (proposal.source === 'file' ? 'teams file' : ''),
      },
      this.deps.clock.now(),
    );
    if (version !== null) this.deps.live.replace(version, kept.doc, kept.config);
    return version;
  }

  history(limit: number): Promise<PolicyVersionEntry[]> {
    return this.deps.versions.history(limit);
  }

  private checked(
    base: number,
    doc: TeamsDocument,
    fileHash: string | null,
    source: 'chat' | 'file',
    changes: string[],
  ): CheckedPolicy {
    let config: TeamsConfig;
    try {
      config = this.deps.build(doc);
    } catch (error) {
      return { ok: false, problems: problemsOf(error, doc) };
    }
    const kept: Kept = { doc, config, fileHash };
    return {
      ok: true,
      proposal: { baseVersion: base, source, changes, teams: teamDirectory(config.teams), doc: kept },
    };
  }
}

/**
 * A checker's problems as an admin can act on them: the team by its id rather than its place in the
 * list (`teams.0.claim.dailyQuota` is `inbound claim.dailyQuota`), with zod's code where it has one.
 */
function problemsOf(error: unknown, doc: TeamsDocument | null): PolicyProblem[] {
  if (!(error instanceof ConfigError)) throw error;
  const where = (path: string) => (doc ? typedPath(doc, path) : path);
  if (error.fieldProblems.length === 0)
    return error.problems.map((line) => {
      const at = line.indexOf(': ');
      return at > 0 ? { where: where(line.slice(0, at)), text: line.slice(at + 2) } : { where: '', text: line };
    });
  return error.fieldProblems.map((problem) => ({
    where: where(problem.field),
    problem,
    text: error.problems.find((line) => line.startsWith(`${problem.field}: `))?.slice(problem.field.length + 2) ?? '',
  }));
}

/** `teams.0.pools.1.mode` as an admin names it: `alpha pools.east.mode` (list items by id or name). */
function typedPath(doc: TeamsDocument, path: string): string {
  let node: unknown = doc;
  const named = path.split('.').map((step) => {
    const item = Array.isArray(node) && /^\d+$/.test(step) ? (node[Number(step)] as unknown) : undefined;
    node = item ?? (node && typeof node === 'object' ? (node as Record<string, unknown>)[step] : undefined);
    const { id, name } = (item ?? {}) as { id?: unknown; name?: unknown };
    const label = typeof id === 'string' ? id : name;
    return typeof label === 'string' ? label : step;
  });
  const [top, team, ...rest] = named;
  return top === 'teams' && team !== undefined ? `${team} ${rest.join('.')}`.trim() : named.join('.');
}

type Placed = { before: unknown; after: unknown };

/**
 * Puts `value` at `path` inside `node` (null removes it). A step into a list is an index, an
 * element's `id` or `name`, or `+` to add one at the end; a missing mapping on the way is made.
 * Returns what was there and what is now, or why the path goes nowhere.
 */
export function setAt(node: Record<string, unknown>, path: readonly string[], value: unknown): Placed | string {
  let at: unknown = node;
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as string;
    const last = i === path.length - 1;
    if (Array.isArray(at)) {
      const index = step === '+' ? at.length : indexIn(at, step);
      if (index === null) return `no "${step}" in ${path.slice(0, i).join('.') || 'the team'}`;
      if (last) return place(at, index, value);
      at = at[index];
    } else if (at !== null && typeof at === 'object') {
      const map = at as Record<string, unknown>;
      if (last) return place(map, step, value);
      // A missing group on the way is made: a list when the next step adds to or indexes one.
      if (map[step] === undefined || map[step] === null) map[step] = /^(\+|\d+)$/.test(path[i + 1] as string) ? [] : {};
      at = map[step];
    } else {
      return `${path.slice(0, i).join('.')} is a single value, not a group of settings`;
    }
  }
  return 'name a setting';
}

function indexIn(list: unknown[], step: string): number | null {
  if (/^\d+$/.test(step)) return Number(step) < list.length ? Number(step) : null;
  const found = list.findIndex(
    (x) =>
      x !== null &&
      typeof x === 'object' &&
      ((x as { id?: unknown }).id === step || (x as { name?: unknown }).name === step),
  );
  return found >= 0 ? found : null;
}

function place(container: unknown[] | Record<string, unknown>, key: number | string, value: unknown): Placed {
  const before = (container as Record<string | number, unknown>)[key];
  if (value === null || value === undefined) {
    if (Array.isArray(container)) container.splice(key as number, 1);
    else delete container[key as string];
    return { before, after: undefined };
  }
  (container as Record<string | number, unknown>)[key] = value;
  return { before, after: value };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function shown(value: unknown): string {
  if (value === undefined) return '(not set)';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}

/** The settings a new teams file changes, one line each: per team, then the file's other keys. */
function differences(before: TeamsDocument, after: TeamsDocument): string[] {
  const lines: string[] = [];
  const teamsOf = (doc: TeamsDocument) =>
    new Map(
      (Array.isArray(doc.teams) ? (doc.teams as Record<string, unknown>[]) : []).map(
        (t) => [String(t?.id), t] as const,
      ),
    );
  const [old, now] = [teamsOf(before), teamsOf(after)];
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const [a, b] = [old.get(id), now.get(id)];
    if (!a || !b) {
      lines.push(`teams.${id}: ${a ? 'removed' : 'added'}`);
      continue;
    }
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      if (!same(a[key], b[key])) lines.push(`teams.${id}.${key}: ${shown(a[key])} → ${shown(b[key])}`);
  }
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)]))
    if (key !== 'teams' && !same(before[key], after[key])) lines.push(`${key}: changed`);
  return lines;
}
