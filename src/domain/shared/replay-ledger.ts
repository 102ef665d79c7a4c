import type { StoredResponse } from '../intake/intake-store.js';

/** Inbound requests already seen, so a repeat is answered with the first answer instead of run again. */
export interface ReplayLedger {
  /** True for the first sighting of `key`; false for a repeat. */
  claim(scope: string, key: string, at: Date): Promise<boolean>;
  answer(scope: string, key: string): Promise<StoredResponse | null>;
  save(scope: string, key: string, answer: StoredResponse): Promise<void>;
}
