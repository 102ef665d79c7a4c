import type { TeamDirectory } from '../leads/lead-store.js';
import { type FieldProblem, problemsFromZod } from './field-problem.js';
import { leadInputSchema } from './lead-input.js';
import { type PreparedLead, prepareLead } from './prepare-lead.js';
import type { SourceCatalog } from './sources.js';

export type ValidateResult = { ok: true; lead: PreparedLead } | { ok: false; problems: FieldProblem[] };

/** Raw input from any channel → a prepared lead, or every problem with it. */
export function validateLead(raw: unknown, teams: TeamDirectory, sources: SourceCatalog): ValidateResult {
  const parsed = leadInputSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const team = teams.find(parsed.data.team);
  if (!team) {
    const known = teams
      .all()
      .map((t) => t.id)
      .join(', ');
    return { ok: false, problems: [{ field: 'team', code: 'team_unknown', params: { known } }] };
  }
  return prepareLead(parsed.data, team, sources);
}
