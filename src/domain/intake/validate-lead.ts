import type { TeamDirectory } from '../leads/lead-store.js';
import type { FieldProblem } from './field-problem.js';
import { type PreparedLead, prepareLead } from './prepare-lead.js';
import { salvageLeadInput } from './salvage-input.js';
import type { SourceCatalog } from './sources.js';

export type ValidateResult = { ok: true; lead: PreparedLead } | { ok: false; problems: FieldProblem[] };

/**
 * Raw input from any channel → a prepared lead with a warning for each value mended, or, when it
 * is no lead at all (no readable team or name, or its team's required fields missing), every
 * problem with it.
 */
export function validateLead(raw: unknown, teams: TeamDirectory, sources: SourceCatalog): ValidateResult {
  const parsed = salvageLeadInput(raw);
  if (!parsed.ok) return parsed;
  const team = teams.find(parsed.input.team);
  if (!team) {
    const known = teams
      .all()
      .map((t) => t.id)
      .join(', ');
    return { ok: false, problems: [{ field: 'team', code: 'team_unknown', params: { known } }] };
  }
  const prepared = prepareLead(parsed.input, team, sources);
  if (!prepared.ok || parsed.warnings.length === 0) return prepared;
  return { ok: true, lead: { ...prepared.lead, warnings: [...parsed.warnings, ...prepared.lead.warnings] } };
}
