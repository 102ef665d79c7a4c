import type { FieldProblem } from '../intake/field-problem.js';
import type { TeamDirectory } from '../leads/lead-store.js';

/** A change to the policy, checked as a whole: what it changes, and the teams as they would be. */
export interface PolicyProposal {
  /** The version it was made from: it is kept only if the policy is still at that version. */
  baseVersion: number;
  source: 'chat' | 'file';
  /** One line per changed setting, with its path, e.g. `teams.alpha.claim.dailyQuota: 5 → 8`. */
  changes: string[];
  teams: TeamDirectory;
  /** The whole document to keep; only the editor reads it. */
  doc: unknown;
}

/**
 * Why a proposed policy was refused: where (a team's id and the setting as typed, e.g.
 * `inbound claim.dailyQuota`), the coded problem when there is one (shown in the reader's
 * language), else the checker's own words.
 */
export interface PolicyProblem {
  where: string;
  problem?: FieldProblem;
  text: string;
}

export type CheckedPolicy = { ok: true; proposal: PolicyProposal } | { ok: false; problems: PolicyProblem[] };

export interface PolicyVersionEntry {
  version: number;
  source: string;
  actorName: string | null;
  summary: string;
  at: Date;
}

/**
 * The policy in force (the teams, their pools, rules and limits), kept in the database version by
 * version with the teams file as its seed. Every instance follows the newest version.
 */
export interface PolicyEditor {
  version(): number;
  /** The policy with `value` at `path` inside team `teamId` (null removes it), checked. */
  propose(teamId: string, path: readonly string[], value: unknown): CheckedPolicy;
  /** The policy as the teams file on disk says now, checked. */
  proposeFile(): CheckedPolicy;
  /**
   * Keeps the proposal as the next version (with who made it) and puts it in force here at once;
   * the other instances follow within seconds. Null when the policy changed since the proposal.
   */
  commit(proposal: PolicyProposal, actorId: string | null): Promise<number | null>;
  history(limit: number): Promise<PolicyVersionEntry[]>;
}
