/** What a platform request was answered with: replayed as is for a repeat of that request. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

/** Inbound requests already seen, so replays and redeliveries are answered instead of run again. */
export interface ReplayLedger {
  /** True for the first sighting of `key`; false for a repeat. */
  claim(scope: string, key: string, at: Date): Promise<boolean>;
  answer(scope: string, key: string): Promise<StoredAnswer | null>;
  save(scope: string, key: string, answer: StoredAnswer): Promise<void>;
}
