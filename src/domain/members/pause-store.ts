import type { MemberPause } from '../leads/lead.js';

export interface PauseTx {
  /** Pauses these memberships from `pause.since` (until `pause.until`, or until resumed), or resumes them (null). */
  setPause(memberIds: readonly string[], pause: MemberPause | null): Promise<void>;
}
