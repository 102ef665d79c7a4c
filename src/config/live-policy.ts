import type { SourceCatalog } from '../domain/intake/sources.js';
import type { TeamDirectory } from '../domain/leads/lead-store.js';
import { type TeamsConfig, type TeamsDocument, teamDirectory } from './teams-config.js';

/**
 * The policy in force in this process: a version kept in the database, as a document and as the
 * teams it gives. `teams` and `sources` always answer from the newest version this process has,
 * so every use case reads the rules of the moment without being rebuilt.
 */
export class LivePolicy {
  private state: { version: number; doc: TeamsDocument; config: TeamsConfig; teams: TeamDirectory };

  constructor(version: number, doc: TeamsDocument, config: TeamsConfig) {
    this.state = { version, doc, config, teams: teamDirectory(config.teams) };
  }

  get version(): number {
    return this.state.version;
  }

  get doc(): TeamsDocument {
    return this.state.doc;
  }

  get config(): TeamsConfig {
    return this.state.config;
  }

  /** Puts a newer version in force here; an older one (a late refresh) changes nothing. */
  replace(version: number, doc: TeamsDocument, config: TeamsConfig): boolean {
    if (version <= this.state.version) return false;
    this.state = { version, doc, config, teams: teamDirectory(config.teams) };
    return true;
  }

  readonly teams: TeamDirectory = {
    find: (teamId) => this.state.teams.find(teamId),
    all: () => this.state.teams.all(),
  };

  readonly sources: SourceCatalog = Object.defineProperty(
    {
      find: (id: string) => this.state.config.sources.find(id),
      all: () => this.state.config.sources.all(),
    },
    'verdict',
    { get: () => this.state.config.sources.verdict, enumerable: true },
  ) as SourceCatalog;
}
