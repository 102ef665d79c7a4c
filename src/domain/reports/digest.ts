import type { SourceCatalog } from '../intake/sources.js';
import type { LeadReads, LeadTx, LeadWithOwner, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import type { DeadLetterBox } from '../notifications/dead-letters.js';
import type { Clock } from '../shared/clock.js';
import { type DigestKind, LATE_AFTER_MS, latestDigestSlot } from './digest-schedule.js';
import type { DigestTx } from './digest-store.js';
import { channelReport, type FunnelReport, type ReportReader, readTrend } from './funnel.js';
import { localDaysPeriod } from './period.js';

export interface DigestDeps {
  store: TxStore<LeadTx & DigestTx> & LeadReads;
  teams: TeamDirectory;
  clock: Clock;
}

/** What the digest job did in one run. */
export interface DigestRunSummary {
  sent: number;
  late: number;
  /** Late slots from before a team's first digest: nothing was missed, so nothing is sent. */
  skipped: number;
}

/**
 * Sends every digest that is due and not sent yet: the slot is claimed in `digest_run` and one DM
 * per manager is queued in the same transaction, so however many instances run this, and however
 * often, each digest goes out once; one missed while the bot was down goes out late, once. A team's
 * first slot, if already past when digests start, is recorded without sending.
 */
export async function runDigests(deps: DigestDeps): Promise<DigestRunSummary> {
  const now = deps.clock.now();
  const summary: DigestRunSummary = { sent: 0, late: 0, skipped: 0 };
  for (const team of deps.teams.all()) {
    for (const kind of ['daily', 'weekly'] as const) {
      const slot = latestDigestSlot(team, kind, now);
      if (!slot) continue;
      const late = now.getTime() - slot.dueAt.getTime() > LATE_AFTER_MS;
      const outcome = await deps.store.transaction(async (tx) => {
        const run = { teamId: team.id, kind, periodKey: slot.key, dueAt: slot.dueAt, at: now, late };
        const claim = await tx.claimDigest(run);
        if (claim === 'taken') return 'taken';
        // The first time a team has digests, a slot already past was not missed: recorded, not sent.
        if (claim === 'first' && late) return 'skipped';
        const digest = { teamId: team.id, digest: kind, periodKey: slot.key, late };
        // Each manager's DM, except on a messenger where the team has a managers' channel: that
        // messenger's sink skips the DMs, and the channel gets the digest once.
        for (const manager of await tx.managersOf(team.id))
          await tx.enqueue({ kind: 'member.digest', memberId: manager.id, ...digest }, now);
        const channels = Object.keys(team.digest?.channels ?? {});
        if (channels.length > 0) await tx.enqueue({ kind: 'team.digest', ...digest }, now, channels);
        return 'sent';
      });
      if (outcome === 'skipped') summary.skipped++;
      if (outcome === 'sent') {
        summary.sent++;
        if (late) summary.late++;
      }
    }
  }
  return summary;
}

/** Everything a digest shows, read when it is delivered. */
export interface Digest {
  teamId: string;
  kind: DigestKind;
  late: boolean;
  funnel: FunnelReport;
  backlog: { overdue: number; dueSoon: number; pooled: number; oldestPooledAt: Date | null };
  /** The most overdue leads, with their owners, to act on from the digest. */
  breached: LeadWithOwner[];
  /** Messages the outbox gave up on (admins see and retry them); 0 when nobody can tell. */
  undelivered: number;
}

/** Leads falling due within this long count as "about to breach". */
export const DUE_SOON_MS = 2 * 3_600_000;

export async function buildDigest(
  deps: DigestDeps & { sources: SourceCatalog; reports: ReportReader; deadLetters?: Pick<DeadLetterBox, 'count'> },
  input: { teamId: string; digest: DigestKind; periodKey: string; late: boolean },
): Promise<Digest> {
  const team = requireTeam(deps.teams, input.teamId);
  const now = deps.clock.now();
  const [year, month, day] = input.periodKey.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1, day - (input.digest === 'weekly' ? 7 : 0)));
  const period = localDaysPeriod(
    { year: first.getUTCFullYear(), month: first.getUTCMonth() + 1, day: first.getUTCDate() },
    input.digest === 'weekly' ? 7 : 1,
    team.timeZone,
  );
  const scope = { teamIds: [team.id], ownerId: null, followUpMs: { [team.id]: team.followUpMs } };
  const [current, previous, channels, reps, backlog, breached, trend, undelivered] = await Promise.all([
    deps.reports.funnel(scope, period.from, period.to),
    deps.reports.funnel(scope, period.previous.from, period.previous.to),
    deps.reports.byChannel(scope, period.from, period.to),
    deps.reports.byRep(scope, period.from, period.to),
    deps.store.teamBacklog(team.id, now, DUE_SOON_MS),
    deps.store.overdueLeads([team.id], now, 5),
    readTrend(deps.reports, scope, period, now, team.timeZone),
    deps.deadLetters?.count() ?? 0,
  ]);
  const funnel: FunnelReport = {
    title: { teams: [team.name], rep: null },
    period,
    timeZone: team.timeZone,
    current,
    previous,
    channels: channels.map((row) => channelReport(row, deps.sources, period.from, period.to)),
    reps,
    trend,
  };
  return { teamId: team.id, kind: input.digest, late: input.late, funnel, backlog, breached, undelivered };
}
