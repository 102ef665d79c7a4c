import { type MemberConfig, personKeyOf } from '../../config/teams-config.js';
import type { MessengerName } from '../../config/teams-schema.js';
import type { Locale, TeamPolicy } from '../../domain/leads/lead.js';

/**
 * Who speaks which language and which chat belongs to which team, straight from the teams file held
 * in memory: replies to a refused click need no database round trip. One per messenger.
 */
export interface MemberDirectory {
  localeOf(userId: string): Locale;
  /** The zone times are shown to this person in: their own, else their (first) team's, else UTC. */
  timeZoneOf(userId: string): string;
  /** The team whose cards go to this channel or group chat. */
  teamOfDestination(destination: string): string | undefined;
  /** Teams the person is an active member of, in file order. */
  teamsOf(userId: string): TeamPolicy[];
}

export function memberDirectory(
  messenger: MessengerName,
  teams: readonly TeamPolicy[],
  members: readonly MemberConfig[],
): MemberDirectory {
  return directoryBy(
    (m) => m.ids[messenger],
    (t) => t.destinations[messenger],
    teams,
    members,
  );
}

/** The playground's directory: people by their person key (see `personKeyOf`). */
export function personDirectory(teams: readonly TeamPolicy[], members: readonly MemberConfig[]): MemberDirectory {
  // The playground shows each team's channel under the team's own id.
  return directoryBy(personKeyOf, (t) => t.id, teams, members);
}

function directoryBy(
  idOf: (member: MemberConfig) => string | undefined,
  destinationOf: (team: TeamPolicy) => string | undefined,
  teams: readonly TeamPolicy[],
  members: readonly MemberConfig[],
): MemberDirectory {
  const locales = new Map<string, Locale>();
  const personZones = new Map<string, string>();
  // A person in several teams keeps the language and zone of the first team listing them.
  for (const m of members) {
    const id = idOf(m);
    if (id && !locales.has(id)) locales.set(id, m.locale);
    if (id && !personZones.has(id)) personZones.set(id, m.timeZone);
  }
  const teamByDestination = new Map(
    teams.flatMap((t) => {
      const destination = destinationOf(t);
      return destination ? [[destination, t.id] as const] : [];
    }),
  );
  const fallback = teams[0]?.locale ?? 'en';
  return {
    teamsOf: (userId) => teams.filter((t) => members.some((m) => m.teamId === t.id && idOf(m) === userId && m.active)),
    localeOf: (userId) => locales.get(userId) ?? fallback,
    teamOfDestination: (destination) => teamByDestination.get(destination),
    timeZoneOf: (userId) => personZones.get(userId) ?? teams[0]?.timeZone ?? 'UTC',
  };
}
