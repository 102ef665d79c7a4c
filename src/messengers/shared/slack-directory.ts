import type { MemberConfig } from '../../config/teams-config.js';
import type { Locale, TeamPolicy } from '../../domain/leads/lead.js';

/**
 * Who speaks which language and which channel belongs to which team, straight from the teams file
 * held in memory: replies to a refused click need no database round trip.
 */
export interface SlackDirectory {
  localeOf(slackUserId: string): Locale;
  timeZoneOfChannel(channelId: string): string | undefined;
  /** Teams the person is an active member of, in file order. */
  teamsOf(slackUserId: string): TeamPolicy[];
}

export function slackDirectory(teams: readonly TeamPolicy[], members: readonly MemberConfig[]): SlackDirectory {
  const locales = new Map<string, Locale>();
  // A person in several teams keeps the language of the first team listing them.
  for (const m of members) if (!locales.has(m.slackUserId)) locales.set(m.slackUserId, m.locale);
  const zones = new Map(teams.flatMap((t) => (t.slackChannelId ? [[t.slackChannelId, t.timeZone] as const] : [])));
  const fallback = teams[0]?.locale ?? 'en';
  return {
    teamsOf: (userId) =>
      teams.filter((t) => members.some((m) => m.teamId === t.id && m.slackUserId === userId && m.active)),
    localeOf: (userId) => locales.get(userId) ?? fallback,
    timeZoneOfChannel: (channelId) => zones.get(channelId),
  };
}
