import type { Lead, Signals } from '../leads/lead.js';
import type { ScoreResult } from './score-rules.js';

export interface ScoringTx {
  /** New behaviour and the score it gives, with an audit row (`rescored`, old → new score). */
  rescore(input: { lead: Lead; signals: Signals; scoring: ScoreResult; at: Date }): Promise<void>;
}
