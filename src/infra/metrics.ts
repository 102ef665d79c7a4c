import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { SlaSweepSummary } from '../domain/sla/run-sla-sweep.js';
import type { ApiCall, MessengerMetrics } from './metrics-events.js';

const CLAIM = 'lead.claim';
const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
type DigestCounts = { sent: number; late: number; skipped: number };

/** Undelivered outbox messages per messenger, and how long the oldest has waited: read at each scrape. */
export type OutboxDepth = { messenger: string; pending: number; oldestSeconds: number }[];

/**
 * What an operator watches, on GET /metrics in Prometheus' text format. Counters are added to where
 * the work is done (intake, the SLA sweep, digests, HTTP handlers); the outbox's depth is read from
 * the database when scraped. Each app has its own registry, so instances in one process (tests) stay apart.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly readOutbox: () => Promise<void>;

  readonly intake = new Counter({
    name: 'leadpool_intake_leads_total',
    help: 'Leads sent to the intake API, by source and outcome (created, merged, awaiting_owner, duplicate, invalid).',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly slaActions = new Counter({
    name: 'leadpool_sla_actions_total',
    help: 'What the SLA sweep did: reminded, escalated, reclaimed, duplicates_pooled, assigned, failed.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  readonly digests = new Counter({
    name: 'leadpool_digests_total',
    help: 'Digest runs by result: sent, late (sent, but after their time), skipped.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly http = new Histogram({
    name: 'leadpool_http_request_duration_seconds',
    help: 'HTTP handler latency by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly claims = new Counter({
    name: 'leadpool_claims_total',
    help: "Claim clicks: won, or refused with the reason (the refusal's code, e.g. lead.already_claimed, claim.daily_quota).",
    labelNames: ['result', 'reason'] as const,
    registers: [this.registry],
  });

  readonly claimSeconds = new Histogram({
    name: 'leadpool_claim_duration_seconds',
    help: 'From a claim click reaching Leadpool to its answer, won or refused.',
    labelNames: ['result'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly handled = new Histogram({
    name: 'leadpool_handler_duration_seconds',
    help: "Buttons, forms (kind interaction) and text commands (kind command) of every messenger and transport, by name and outcome (ok, a refusal's code, malformed, unexpected).",
    labelNames: ['kind', 'name', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  readonly apiCalls = new Histogram({
    name: 'leadpool_platform_api_call_duration_seconds',
    help: "Calls to Slack's and Lark's APIs by method and outcome (ok, error, rate_limited, network): the count is the calls, errors and 429s per method.",
    labelNames: ['messenger', 'method', 'outcome'] as const,
    buckets: SECONDS,
    registers: [this.registry],
  });

  /** What the messengers' handlers and API clients report (see MessengerMetrics). */
  readonly messengers: MessengerMetrics = {
    handled: ({ kind, name, outcome, seconds }) => {
      this.handled.observe({ kind, name, outcome }, seconds);
      if (kind !== 'interaction' || name !== CLAIM || outcome === 'malformed') return;
      const result = outcome === 'ok' ? 'won' : 'refused';
      this.claims.inc(result === 'won' ? { result } : { result, reason: outcome });
      this.claimSeconds.observe({ result }, seconds);
    },
    apiCall: ({ messenger, method, outcome, seconds }: ApiCall) =>
      this.apiCalls.observe({ messenger, method, outcome }, seconds),
  };

  constructor(outboxDepth?: () => Promise<OutboxDepth>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'leadpool_' });
    const pending = new Gauge({
      name: 'leadpool_outbox_pending',
      help: 'Outbox messages not delivered yet (nor given up), per messenger.',
      labelNames: ['messenger'] as const,
      registers: [this.registry],
    });
    const oldest = new Gauge({
      name: 'leadpool_outbox_oldest_seconds',
      help: 'How long the oldest undelivered outbox message has waited, per messenger.',
      labelNames: ['messenger'] as const,
      registers: [this.registry],
    });
    this.readOutbox = async () => {
      if (!outboxDepth) return;
      pending.reset();
      oldest.reset();
      for (const row of await outboxDepth()) {
        pending.set({ messenger: row.messenger }, row.pending);
        oldest.set({ messenger: row.messenger }, row.oldestSeconds);
      }
    };
  }

  /** Counts one SLA sweep's work; returns the summary, for the caller to go on with. */
  readonly recordSweep = <T extends SlaSweepSummary>(summary: T): T => {
    this.slaActions.inc({ action: 'reminded' }, summary.reminded);
    this.slaActions.inc({ action: 'escalated' }, summary.escalated);
    this.slaActions.inc({ action: 'reclaimed' }, summary.reclaimed);
    this.slaActions.inc({ action: 'duplicates_pooled' }, summary.duplicatesPooled);
    this.slaActions.inc({ action: 'assigned' }, summary.assigned);
    this.slaActions.inc({ action: 'failed' }, summary.failed);
    return summary;
  };

  /** Counts one digest run; `late` ones are among `sent`. */
  readonly recordDigests = <T extends DigestCounts>(summary: T): T => {
    this.digests.inc({ result: 'sent' }, summary.sent - summary.late);
    this.digests.inc({ result: 'late' }, summary.late);
    this.digests.inc({ result: 'skipped' }, summary.skipped);
    return summary;
  };

  observe(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  /** The text Prometheus scrapes; the outbox is read first (a database that is down leaves it out). */
  async text(): Promise<string> {
    await this.readOutbox().catch(() => undefined);
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
