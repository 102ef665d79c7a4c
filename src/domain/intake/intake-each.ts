import { type IntakeChannel, type IntakeDeps, type IntakeOutcome, intakeLeads } from './intake-leads.js';
import type { PreparedLead } from './prepare-lead.js';

export type EachOutcome = { ok: true; outcome: IntakeOutcome } | { ok: false; error: unknown };

/**
 * Stores leads that arrived separately (concurrent requests, rows of a file) in one shared
 * transaction. If that transaction fails, each lead is stored again in a transaction of its own,
 * one after another, so the lead that caused the failure fails alone and the rest are kept.
 */
export async function intakeEach(
  deps: IntakeDeps,
  leads: readonly PreparedLead[],
  channel: IntakeChannel,
  options: { postCards?: boolean } = {},
): Promise<EachOutcome[]> {
  const store = async (some: readonly PreparedLead[]) => {
    const result = await intakeLeads(deps, some, channel, undefined, options);
    if (result.kind !== 'done') throw new Error(`unexpected intake result ${result.kind}`);
    return result.outcomes;
  };
  try {
    return (await store(leads)).map((outcome) => ({ ok: true, outcome }));
  } catch (error) {
    if (leads.length === 1) return [{ ok: false, error }];
    const results: EachOutcome[] = [];
    for (const lead of leads) {
      try {
        results.push({ ok: true, outcome: (await store([lead]))[0] as IntakeOutcome });
      } catch (alone) {
        results.push({ ok: false, error: alone });
      }
    }
    return results;
  }
}
