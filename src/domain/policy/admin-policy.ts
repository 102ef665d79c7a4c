import { isAdmin } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import { type DryRun, replayLeads } from '../distribution/dry-run.js';
import type { LeadReads, LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import type { CheckedPolicy, PolicyEditor, PolicyProblem, PolicyProposal, PolicyVersionEntry } from './policy.js';

export interface PolicyDeps {
  store: TxStore<LeadTx> & LeadReads;
  teams: TeamDirectory;
  clock: Clock;
  policy?: PolicyEditor;
}

/** `/lead admin set <team> <path> <value>`: a path inside one team, and the value to put there. */
export interface PolicyChange {
  team: string;
  path: string[];
  value: unknown;
}

export interface PolicyChanged {
  version: number;
  changes: string[];
}

/** Changes one setting of a team's policy: checked as a whole, kept as a new version, audited with who. */
export async function changePolicy(deps: PolicyDeps, who: Identity, change: PolicyChange): Promise<PolicyChanged> {
  const { policy, adminId } = await asAdmin(deps, who);
  requireTeam(deps, change.team);
  return keep(policy, policy.propose(change.team, change.path, change.value), adminId);
}

/** Puts the teams file as it is on disk now in force, checked like a change in chat. */
export async function reloadPolicy(deps: PolicyDeps, who: Identity): Promise<PolicyChanged> {
  const { policy, adminId } = await asAdmin(deps, who);
  return keep(policy, policy.proposeFile(), adminId);
}

export async function policyHistory(
  deps: PolicyDeps,
  who: Identity,
  limit = 10,
): Promise<{ version: number; entries: PolicyVersionEntry[] }> {
  const { policy } = await asAdmin(deps, who);
  return { version: policy.version(), entries: await policy.history(limit) };
}

/**
 * Replays the team's last `last` leads through the proposed rules: which pool each would go to and
 * who the rotation would give it to, against where it went and who has it. Changes nothing.
 */
export async function dryRunPolicy(
  deps: PolicyDeps,
  who: Identity,
  change: PolicyChange,
  last: number,
): Promise<{ proposal: PolicyProposal; run: DryRun }> {
  const { policy } = await asAdmin(deps, who);
  requireTeam(deps, change.team);
  const checked = policy.propose(change.team, change.path, change.value);
  if (!checked.ok) throw invalid(checked.problems);
  const team = checked.proposal.teams.find(change.team);
  if (!team) throw new DomainError('team.unknown', { team: change.team });
  const [leads, members] = await Promise.all([
    deps.store.recentLeads(team.id, last),
    deps.store.transaction((tx) => tx.teamMembers(team.id)),
  ]);
  return { proposal: checked.proposal, run: replayLeads(team, leads, members, deps.clock.now()) };
}

async function keep(policy: PolicyEditor, checked: CheckedPolicy, adminId: string): Promise<PolicyChanged> {
  if (!checked.ok) throw invalid(checked.problems);
  const { proposal } = checked;
  if (proposal.changes.length === 0) return { version: policy.version(), changes: [] };
  const version = await policy.commit(proposal, adminId);
  if (version === null) throw new DomainError('policy.changed_meanwhile', { version: policy.version() });
  return { version, changes: proposal.changes };
}

const invalid = (problems: readonly PolicyProblem[]) =>
  new DomainError(
    'policy.invalid',
    {},
    problems.slice(0, 8).map((p) => ({
      where: p.where,
      text: p.text.slice(0, 300),
      ...(p.problem ? { code: p.problem.code, ...(p.problem.params ? { params: p.problem.params } : {}) } : {}),
    })),
  );

async function asAdmin(deps: PolicyDeps, who: Identity): Promise<{ policy: PolicyEditor; adminId: string }> {
  const actor = await actorOf(deps.store, who);
  if (!isAdmin(actor)) throw new DomainError('access.admins_only');
  if (!deps.policy) throw new DomainError('policy.not_editable');
  const admin = actor.memberships.find((m) => m.active && m.role === 'admin');
  return { policy: deps.policy, adminId: admin?.id as string };
}

function requireTeam(deps: PolicyDeps, teamId: string): void {
  if (!deps.teams.find(teamId)) throw new DomainError('team.unknown', { team: teamId.slice(0, 40) });
}
