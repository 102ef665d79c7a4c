import type { ClaimableInTeam } from '../../../domain/claims/claimable.js';
import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import type { TeamDirectory } from '../../../domain/leads/lead-store.js';
import { t } from '../../../i18n/catalog.js';

/** `/lead open`: per team, the day's claims against the quota, then the leads the rep may claim now. */
export function presentClaimable(
  teams: readonly ClaimableInTeam[],
  directory: TeamDirectory,
  locale: Locale,
  zone: string,
): string {
  if (teams.length === 0) return t(locale, 'claimable.no_team');
  return teams.map((team) => presentTeam(team, directory, locale, zone)).join('\n\n');
}

function presentTeam(team: ClaimableInTeam, directory: TeamDirectory, locale: Locale, zone: string): string {
  const policy = directory.find(team.member.teamId);
  const header = t(locale, 'claimable.team', {
    team: team.teamName,
    used: team.claimedToday,
    quota: team.dailyQuota,
  });
  if (team.paused)
    return [
      header,
      team.paused.until
        ? t(locale, 'member.paused', { until: team.paused.until }, zone)
        : t(locale, 'member.paused_open'),
    ].join('\n');
  if (team.claimedToday >= team.dailyQuota) return [header, t(locale, 'claimable.quota_used')].join('\n');
  if (team.leads.length === 0) return [header, t(locale, 'claimable.none')].join('\n');
  const lines = team.leads.map((lead) => {
    const pool = policy?.pools?.find((p) => p.id === lead.poolId)?.name;
    return t(locale, 'claimable.line', {
      ref: formatLeadRef(lead.id),
      name: lead.name,
      company: lead.company ? ` (${lead.company})` : '',
      grade: t(locale, `grade.${lead.grade}`),
      pool: pool ? ` · ${pool}` : '',
    });
  });
  return [header, ...lines.map((l) => `• ${l}`), t(locale, 'claimable.how')].join('\n');
}
