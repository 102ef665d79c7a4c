import type { DryRun } from '../../../domain/distribution/dry-run.js';
import type { Locale } from '../../../domain/leads/lead.js';
import type { PolicyChanged } from '../../../domain/policy/admin-policy.js';
import type { PolicyProposal, PolicyVersionEntry } from '../../../domain/policy/policy.js';
import { t } from '../../../i18n/catalog.js';

const bullets = (lines: readonly string[]) => lines.map((l) => `• ${l}`).join('\n');

export function presentPolicyChanged(locale: Locale, changed: PolicyChanged): string {
  if (changed.changes.length === 0) return t(locale, 'policy.unchanged');
  const shown = changed.changes.slice(0, 20);
  const more = changed.changes.length > shown.length ? [`… +${changed.changes.length - shown.length}`] : [];
  return t(locale, 'policy.changed', { version: changed.version, changes: bullets([...shown, ...more]) });
}

export function presentPolicyHistory(
  locale: Locale,
  history: { version: number; entries: PolicyVersionEntry[] },
  timeZone?: string,
): string {
  const lines = history.entries.map((e) =>
    t(
      locale,
      'policy.history_line',
      {
        version: e.version,
        at: e.at,
        by: e.actorName ?? t(locale, 'policy.by_file'),
        summary: e.summary.slice(0, 300),
      },
      timeZone,
    ),
  );
  return [t(locale, 'policy.history_title', { version: history.version }), bullets(lines)].join('\n');
}

/** Who has the replayed leads now against who the proposed rules would give them to, then the pools. */
export function presentDryRun(
  locale: Locale,
  teamName: string,
  { proposal, run }: { proposal: PolicyProposal; run: DryRun },
): string {
  if (run.leads.length === 0) return t(locale, 'policy.dry_run_none');
  const line = (r: { name: string; actual: number; proposed: number }) =>
    t(locale, 'policy.dry_run_line', { name: r.name, actual: r.actual, proposed: r.proposed });
  const claimable = run.leads.filter((l) => l.owner.proposed === null).length;
  const changes = proposal.changes.length > 0 ? proposal.changes.join('; ') : t(locale, 'policy.unchanged');
  return [
    t(locale, 'policy.dry_run_title', { count: run.leads.length, team: teamName, changes }),
    t(locale, 'policy.dry_run_people'),
    bullets(run.byMember.slice(0, 30).map(line)),
    t(locale, 'policy.dry_run_pools'),
    bullets(run.byPool.slice(0, 20).map(line)),
    ...(claimable > 0 ? [t(locale, 'policy.dry_run_claim', { count: claimable })] : []),
  ].join('\n');
}
