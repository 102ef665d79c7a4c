import type { ClaimReads, ClaimTx } from './claims/claim-store.js';
import type { ConversionTx } from './conversions/conversion-store.js';
import type { PoolTx } from './distribution/pool-store.js';
import type { FollowUpTx } from './follow-ups/follow-up-store.js';
import type { LeadReads, LeadTx, TxStore } from './leads/lead-store.js';
import type { PauseTx } from './members/pause-store.js';
import type { DigestTx } from './reports/digest-store.js';
import type { ScoringTx } from './scoring/scoring-store.js';
import type { ExtensionTx, SlaTx, SweepReads } from './sla/sla-store.js';

/**
 * Every port the database implements, together: what the app wires and the in-memory store
 * mimics. A use case names only the ports it uses (see each capability's `*-store.ts`), so its
 * tests need only those.
 */
export type StoreTx = LeadTx &
  ClaimTx &
  SlaTx &
  ExtensionTx &
  PoolTx &
  FollowUpTx &
  DigestTx &
  ConversionTx &
  PauseTx &
  ScoringTx;

export type LeadStore = TxStore<StoreTx> & LeadReads & ClaimReads & SweepReads;
