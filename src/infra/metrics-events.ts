/** What the messengers tell the metrics. */
export interface MessengerMetrics {
  /**
   * Every click, form and text command once answered: which, how it ended (`ok`, the refusal's
   * error code, `malformed`, `unexpected`) and how long it took.
   */
  handled(event: { kind: 'interaction' | 'command'; name: string; outcome: string; seconds: number }): void;
  /** Every call to a platform's API, by its method (never its address's ids). */
  apiCall(event: ApiCall): void;
}

export interface ApiCall {
  messenger: 'slack' | 'lark';
  method: string;
  outcome: 'ok' | 'error' | 'rate_limited' | 'network';
  seconds: number;
}
