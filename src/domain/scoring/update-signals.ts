import { leadFacts, type PreparedLead } from '../intake/prepare-lead.js';
import type { SourceCatalog } from '../intake/sources.js';
import { formatLeadRef, type Lead, type Signals } from '../leads/lead.js';
import type { LeadTx, TeamDirectory, TxStore } from '../leads/lead-store.js';
import { requireTeam } from '../leads/team-policy.js';
import type { Clock } from '../shared/clock.js';
import { DomainError } from '../shared/errors.js';
import { scoreLead } from './score-rules.js';
import type { ScoringTx } from './scoring-store.js';

export interface SignalsDeps {
  store: TxStore<LeadTx & ScoringTx>;
  teams: TeamDirectory;
  sources: SourceCatalog;
  clock: Clock;
}

/** A lead by its id, or by the id the sender's own system gave it. */
export type LeadLocator = { leadId: number } | { teamId: string; externalId: string };

export interface SignalsApplied {
  lead: Lead;
  before: { score: number; priority: Lead['priority'] };
  /** False when the signals were already these (a replay): nothing was written. */
  changed: boolean;
}

/**
 * Behaviour that arrives after intake (visits, downloads, time on site, events): the lead's signals
 * take the values sent (totals, not increments, so a replay changes nothing), its score and
 * priority are recomputed with their reasons, and its card follows. Its owner is told when it
 * crosses into high priority. A lead merged into another gives its behaviour to that one.
 */
export async function applySignals(deps: SignalsDeps, where: LeadLocator, signals: Signals): Promise<SignalsApplied> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const lead = await survivor(tx, await locate(tx, where));
    const team = requireTeam(deps.teams, lead.teamId);
    const before = { score: lead.score, priority: lead.priority };
    const merged: Signals = { ...lead.signals, ...signals };
    if (JSON.stringify(sorted(merged)) === JSON.stringify(sorted(lead.signals)))
      return { lead, before, changed: false };
    const scoring = scoreLead(
      team.scoring,
      leadFacts({ ...lead, signals: merged } as Lead & Pick<PreparedLead, 'source'>, deps.sources),
    );
    await tx.rescore({ lead, signals: merged, scoring, at: now });
    if (lead.status === 'pooled' || lead.status === 'owned')
      await tx.enqueue({ kind: 'lead.card', leadId: lead.id }, now);
    if (scoring.priority === 'high' && before.priority !== 'high' && lead.status === 'owned' && lead.ownerId)
      await tx.enqueue(
        {
          kind: 'member.dm',
          memberId: lead.ownerId,
          leadId: lead.id,
          topic: 'dm.priority_high',
          params: { score: scoring.score, was: before.score },
        },
        now,
      );
    return {
      lead: { ...lead, signals: merged, score: scoring.score, priority: scoring.priority, scoreDetail: scoring.detail },
      before,
      changed: true,
    };
  });
}

async function locate(tx: LeadTx, where: LeadLocator): Promise<Lead> {
  const lead =
    'leadId' in where
      ? await tx.findLead(where.leadId, { forUpdate: true })
      : await tx.findLeadByExternalId(where.teamId, where.externalId);
  if (!lead)
    throw new DomainError('lead.not_found', {
      lead: 'leadId' in where ? formatLeadRef(where.leadId) : where.externalId.slice(0, 64),
    });
  return lead;
}

/** Follows a merged lead to the one it went into (a short chain at most). */
async function survivor(tx: LeadTx, start: Lead): Promise<Lead> {
  let lead = start;
  for (let step = 0; step < 8 && lead.status === 'merged' && lead.duplicateOfId; step++) {
    const next = await tx.findLead(lead.duplicateOfId, { forUpdate: true });
    if (!next) break;
    lead = next;
  }
  return lead;
}

const sorted = (signals: Signals) => Object.fromEntries(Object.entries(signals).sort(([a], [b]) => a.localeCompare(b)));
