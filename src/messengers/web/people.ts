import { type MemberConfig, personKeyOf } from '../../config/teams-config.js';
import type { Locale, Role, TeamPolicy } from '../../domain/leads/lead.js';

/** Someone the playground may act as: one person, with their role in each team they are in. */
export interface PlaygroundPerson {
  key: string;
  name: string;
  locale: Locale;
  teams: { id: string; name: string; role: Role }[];
}

/** The people of the teams file, each once (a person in two teams is one), in file order. */
export function playgroundPeople(members: readonly MemberConfig[], teams: readonly TeamPolicy[]): PlaygroundPerson[] {
  const people = new Map<string, PlaygroundPerson>();
  for (const m of members) {
    if (!m.active) continue;
    const key = personKeyOf(m);
    const person = people.get(key) ?? { key, name: m.displayName, locale: m.locale, teams: [] };
    const team = teams.find((t) => t.id === m.teamId);
    person.teams.push({ id: m.teamId, name: team?.name ?? m.teamId, role: m.role });
    people.set(key, person);
  }
  return [...people.values()];
}
