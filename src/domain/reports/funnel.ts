import { isAdmin } from '../access/access-policy.js';
import { actorOf } from '../access/actor.js';
import type { ClaimReads } from '../claims/claim-store.js';
import { DEFAULT_VERDICT, type SourceCatalog, type SourceCost, type VerdictThresholds } from '../intake/sources.js';
import type { Member, TeamPolicy } from '../leads/lead.js';
import type { LeadReads, TeamDirectory } from '../leads/lead-store.js';
import type { Identity } from '../members/identity.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { dayLabels, type Period, parsePeriod, trendPeriod } from './period.js';

/** Whose numbers a report counts: some teams' leads, or one rep's own. */
export interface ReportScope {
  teamIds: string[];
  /** Set for a rep: only the leads they own (or converted), and their own events. */
  ownerId: string | null;
  /** Each team's follow-up SLA, for "contacted within the SLA". */
  followUpMs: Record<string, number>;
}

/** A cohort's numbers: the leads that came in during one period, and how far they got. */
export interface FunnelCounts {
  leadsIn: number;
  contacted: number;
  qualified: number;
  converted: number;
  lost: number;
  invalid: number;
  /** Leads first owned in the period that were contacted within their team's SLA of being owned. */
  owned: number;
  contactedWithinSla: number;
  reclaims: number;
  /** Time from coming in to the first contact, and to conversion (ms); null without any. */
  firstContactMedianMs: number | null;
  firstContactP90Ms: number | null;
  convertMedianMs: number | null;
  dealValue: number;
}

export interface ChannelRow {
  source: string;
  leads: number;
  converted: number;
  dealValue: number;
}

export interface RepRow {
  memberId: string;
  name: string;
  /** Claims and assignments in the period. */
  taken: number;
  contactedWithinSla: number;
  reclaimed: number;
  converted: number;
  firstContactMedianMs: number | null;
}

/** One lead of a period export: its facts, stages and the latest of its follow-ups. */
export interface PeriodLeadRow {
  ref: string;
  team: string;
  name: string;
  company: string | null;
  source: string | null;
  channel: string | null;
  status: string;
  stage: string;
  owner: string | null;
  createdAt: string;
  contactedAt: string | null;
  qualifiedAt: string | null;
  convertedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  dealValue: number | null;
  followUps: number;
  lastFollowUpAt: string | null;
  lastFollowUpMethod: string | null;
  lastFollowUpOutcome: string | null;
  lastFollowUpNote: string | null;
}

/** What the funnel query needs from the database: every figure is computed there. */
export interface ReportReader {
  funnel(scope: ReportScope, from: Date, to: Date): Promise<FunnelCounts>;
  /** The cohort's leads with their follow-up count and latest follow-up, oldest first, at most `limit`. */
  periodLeads(scope: ReportScope, from: Date, to: Date, limit: number): Promise<PeriodLeadRow[]>;
  byChannel(scope: ReportScope, from: Date, to: Date): Promise<ChannelRow[]>;
  byRep(scope: ReportScope, from: Date, to: Date): Promise<RepRow[]>;
  /** Per local day of [from, to) in `timeZone`: leads in, first contacts and conversions; days without any left out. */
  trend(scope: ReportScope, from: Date, to: Date, timeZone: string): Promise<TrendDay[]>;
}

/** One local day of a trend. */
export interface TrendDay {
  day: string;
  leadsIn: number;
  contacted: number;
  converted: number;
}

export type Verdict = 'keep' | 'watch' | 'drop';

export interface ChannelReport extends ChannelRow {
  conversionRate: number | null;
  /** Spend in the period, pro-rated from the source's cost; null when the source has none. */
  spend: number | null;
  currency: string | null;
  costPerLead: number | null;
  /** (deal value − spend) ÷ spend; null without spend. */
  roi: number | null;
  verdict: Verdict;
}

export interface FunnelReport {
  title: { teams: string[]; rep: string | null };
  period: Period;
  timeZone: string;
  current: FunnelCounts;
  previous: FunnelCounts;
  channels: ChannelReport[];
  /** Per rep; a rep's own report has their row alone. */
  reps: RepRow[];
  /** The last `TREND_DAYS` local days up to the period's end (or today), every day present. */
  trend: TrendDay[];
}

/** The trend of the days up to a period's end, with a zero row for each quiet day. */
export async function readTrend(
  reports: ReportReader,
  scope: ReportScope,
  period: Period,
  now: Date,
  timeZone: string,
): Promise<TrendDay[]> {
  const window = trendPeriod(period, now, timeZone);
  const rows = await reports.trend(scope, window.from, window.to, timeZone);
  const byDay = new Map(rows.map((row) => [row.day, row]));
  return dayLabels(window.days).map((day) => byDay.get(day) ?? { day, leadsIn: 0, contacted: 0, converted: 0 });
}

const DAYS_PER: Record<Exclude<SourceCost['period'], 'total'>, number> = { month: 30.44, quarter: 91.31, year: 365.25 };

/** A source's spend in a period, pro-rated by days; a "total" cost counts in full. */
export function spendIn(cost: SourceCost, from: Date, to: Date): number {
  if (cost.period === 'total') return cost.amount;
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  return Math.round((cost.amount * days * 100) / DAYS_PER[cost.period]) / 100;
}

export function channelReport(row: ChannelRow, sources: SourceCatalog, from: Date, to: Date): ChannelReport {
  const cost = sources.find(row.source)?.cost ?? null;
  const conversionRate = row.leads > 0 ? row.converted / row.leads : null;
  const spend = cost ? spendIn(cost, from, to) : null;
  const roi = spend && spend > 0 ? (row.dealValue - spend) / spend : null;
  return {
    ...row,
    conversionRate,
    spend,
    currency: cost?.currency ?? null,
    costPerLead: spend !== null && row.leads > 0 ? Math.round((spend * 100) / row.leads) / 100 : null,
    roi,
    verdict: verdictOf(conversionRate, roi, row.leads, sources.verdict),
  };
}

/** Too few leads to judge keeps a channel; otherwise the weaker of conversion rate and ROI decides. */
export function verdictOf(
  rate: number | null,
  roi: number | null,
  leads: number,
  t: VerdictThresholds = DEFAULT_VERDICT,
): Verdict {
  if (leads < t.minLeads || rate === null) return 'keep';
  if (rate < t.dropRate || (roi !== null && roi < t.dropRoi)) return 'drop';
  if (rate < t.watchRate || (roi !== null && roi < t.watchRoi)) return 'watch';
  return 'keep';
}

export interface FunnelDeps {
  store: LeadReads & ClaimReads;
  teams: TeamDirectory;
  sources: SourceCatalog;
  clock: Clock;
  reports: ReportReader;
}

/** `/lead funnel [team] [period]`, for whom `resolveReport` says. */
export async function funnelReport(deps: FunnelDeps, input: ReportRequest): Promise<FunnelReport> {
  const { teams, rep, period, scope, timeZone } = await resolveReport(deps, input);
  const [current, previous, channels, reps, trend] = await Promise.all([
    deps.reports.funnel(scope, period.from, period.to),
    deps.reports.funnel(scope, period.previous.from, period.previous.to),
    deps.reports.byChannel(scope, period.from, period.to),
    // For a rep, their own row: the very figures their manager's "by rep" shows for them.
    deps.reports.byRep(scope, period.from, period.to),
    readTrend(deps.reports, scope, period, deps.clock.now(), timeZone),
  ]);
  const ranked = channels
    .map((row) => channelReport(row, deps.sources, period.from, period.to))
    .sort(
      (a, b) =>
        (b.roi ?? -Infinity) - (a.roi ?? -Infinity) ||
        (b.conversionRate ?? 0) - (a.conversionRate ?? 0) ||
        b.leads - a.leads,
    );
  return {
    title: { teams: teams.map((t) => t.name), rep: rep?.displayName ?? null },
    period,
    timeZone,
    current,
    previous,
    channels: ranked,
    reps,
    trend,
  };
}

/** A report's reach and period, as the asker may see them: their teams, or a rep's own leads. */
export interface ResolvedReport {
  teams: TeamPolicy[];
  rep: Member | null;
  period: Period;
  scope: ReportScope;
  timeZone: string;
}

/** What a person asked a report for: a team and period as typed, and the team of the chat they typed in. */
export interface ReportRequest {
  actor: Identity;
  team?: string;
  period?: string;
  /** The team whose channel or group chat the command was typed in, if any. */
  channelTeam?: string;
}

/** How far back "most active" looks when a rep in several teams names none. */
const ACTIVITY_WINDOW_MS = 30 * 86_400_000;

/**
 * Whose numbers and which period a report (the funnel, an export) covers: a rep their own leads, a
 * manager their teams' (or one of them), an admin any team or all; the period read in the first
 * team's time zone. Without a team named, the team of the chat it was typed in, when the asker is
 * in it; else a manager's teams, or a rep's most active team (the most claims in 30 days).
 */
export async function resolveReport(
  deps: Pick<FunnelDeps, 'store' | 'teams' | 'clock'>,
  input: ReportRequest,
): Promise<ResolvedReport> {
  const actor = await actorOf(deps.store, input.actor);
  const active = actor.memberships.filter((m) => m.active);
  if (active.length === 0) throw new DomainError('member.not_in_team', { team: input.team ?? '' });
  const admin = isAdmin(actor);
  const fromChannel =
    input.channelTeam && (admin || active.some((m) => m.teamId === input.channelTeam)) ? input.channelTeam : undefined;
  const wanted = input.team ?? fromChannel;
  const byActivity = wanted ? active : await mostActiveFirst(deps, active);
  const { teams, rep } = scopeTeams(deps.teams, byActivity, admin, wanted);
  const timeZone = teams[0]?.timeZone ?? 'UTC';
  const parsed = parsePeriod(input.period ?? '', { now: deps.clock.now(), timeZone });
  if (!parsed.ok) throw new DomainError(`report.period_${parsed.problem}`, { text: (input.period ?? '').slice(0, 40) });
  const scope: ReportScope = {
    teamIds: teams.map((t) => t.id),
    ownerId: rep?.id ?? null,
    followUpMs: Object.fromEntries(teams.map((t) => [t.id, t.followUpMs])),
  };
  return { teams, rep, period: parsed.period, scope, timeZone };
}

/** The memberships, the one with the most claims in the last 30 days first (ties keep their order). */
async function mostActiveFirst(deps: Pick<FunnelDeps, 'store' | 'clock'>, memberships: Member[]): Promise<Member[]> {
  if (memberships.length < 2) return memberships;
  const since = new Date(deps.clock.now().getTime() - ACTIVITY_WINDOW_MS);
  const claims = await Promise.all(memberships.map((m) => deps.store.claimedSince(m.id, since)));
  const order = memberships.map((m, i) => ({ m, i, n: claims[i] ?? 0 }));
  return order.sort((a, b) => b.n - a.n || a.i - b.i).map((x) => x.m);
}

/** Which teams a person's report covers, and whether it is a rep's own. */
function scopeTeams(
  directory: TeamDirectory,
  memberships: Member[],
  admin: boolean,
  wanted: string | undefined,
): { teams: TeamPolicy[]; rep: Member | null } {
  const managed = memberships.filter((m) => m.role === 'manager' || m.role === 'admin').map((m) => m.teamId);
  const visible = admin ? directory.all().map((t) => t.id) : managed;
  if (wanted) {
    const team = directory.all().find((t) => t.id === wanted || t.name.toLowerCase() === wanted.toLowerCase());
    if (!team) throw new DomainError('team.unknown', { team: wanted.slice(0, 40) });
    if (visible.includes(team.id)) return { teams: [team], rep: null };
    const own = memberships.find((m) => m.teamId === team.id);
    if (own) return { teams: [team], rep: own };
    throw new DomainError('report.not_your_team', { team: team.name });
  }
  if (visible.length > 0)
    return { teams: visible.map((id) => directory.find(id)).filter((t): t is TeamPolicy => !!t), rep: null };
  const first = memberships[0] as Member;
  return { teams: [directory.find(first.teamId)].filter((t): t is TeamPolicy => !!t), rep: first };
}
