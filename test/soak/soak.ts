/**
 * `npm run soak`: three Leadpool processes on one PostgreSQL for a set time (SOAK_MINUTES, 10 by
 * default) under mixed load, against a fake Slack that is slow and answers 429 now and then:
 * intake (single leads, batches, repeats), three reps racing for every card, commands, follow-ups
 * (some leads are followed up, the rest reminded and reclaimed by short SLAs swept every 5 s), a
 * digest due during the run. It prints throughput and p50/p99 per operation, each instance's memory
 * and the outbox's depth over time, the errors, and an audit: every lead has exactly one card,
 * one owner at a time, and every notice was delivered once. Exits 1 if the audit finds anything.
 */
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { spawnApp } from '../support/app-process.js';
import { FakeSlack } from '../support/fake-slack.js';
import { INTAKE_KEY } from '../support/leadpool.js';
import { createDatabase, startPostgres } from '../support/postgres-server.js';
import { seriesValue } from '../support/prometheus.js';
import { claimClick, postSigned, SIGNING_SECRET, signedForm, slashCommand } from '../support/slack-requests.js';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const LEADS_PER_SECOND = Number(process.env.SOAK_RATE ?? 4);
const REPS = Array.from({ length: 8 }, (_, i) => `USOAK${i}`);
const MANAGER = 'USOAKMGR';
const INSTANCES = 3;

const at = new Date(Date.now() + Math.min(MINUTES / 2, 3) * 60_000);
const digestAt = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
const teams = `teams:
  - id: alpha
    name: Soak Sales
    timezone: UTC
    slack: { channel: C0SOAK }
    claim: { dailyQuota: 10000, holdingCap: 10000, cooldown: 10m }
    sla: { followUp: 2m, remindBefore: 1m }
    cardBurst: off
    digest: { daily: "${digestAt}" }
    members:
${REPS.map((id, i) => `      - { name: Soak Rep ${i}, slack: ${id}, role: rep }`).join('\n')}
      - { name: Soak Manager, slack: ${MANAGER}, role: manager }
`;

const latencies = new Map<string, number[]>();
const errors = new Map<string, number>();
const note = (op: string, ms: number) => latencies.set(op, [...(latencies.get(op) ?? []), ms]);
const fail = (what: string) => errors.set(what, (errors.get(what) ?? 0) + 1);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
};

async function timed(op: string, request: () => Promise<Response>): Promise<Response | null> {
  const started = performance.now();
  try {
    const response = await request();
    note(op, performance.now() - started);
    if (response.status >= 500) fail(`${op}: HTTP ${response.status}`);
    return response;
  } catch (error) {
    fail(`${op}: ${(error as Error).message}`);
    return null;
  }
}

async function main(): Promise<void> {
  console.log(
    `soak: ${INSTANCES} instances, ${MINUTES} min, ${LEADS_PER_SECOND} leads/s, digest due at ${digestAt} UTC`,
  );
  const server = await startPostgres();
  const database = await createDatabase(server.adminUrl, 'lp_soak');
  const slack = new FakeSlack();
  slack.postDelayMs = 30;
  await slack.start();
  const sql = new pg.Pool({ connectionString: database.url, max: 2 });
  const logs: string[][] = [];
  const apps = await Promise.all(
    Array.from({ length: INSTANCES }, () => {
      const lines: string[] = [];
      logs.push(lines);
      return spawnApp({
        databaseUrl: database.url,
        teamsYaml: teams,
        logLines: lines,
        stderrLines: lines,
        env: {
          SLACK_BOT_TOKEN: 'xoxb-soak',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: slack.apiUrl,
          SLACK_POST_GAP_MS: '50',
          SLA_SWEEP_SCHEDULE: '*/5 * * * * *',
          OUTBOX_POLL_MS: '500',
        },
      });
    }),
  );
  const urls = apps.map((a) => a.url);
  const children: ChildProcess[] = apps.map((a) => a.child);
  console.log('soak: instances up; load starts');

  const started = performance.now();
  const endsAt = started + MINUTES * 60_000;
  const running = () => performance.now() < endsAt;
  const samples: { minute: number; rss: number[]; heap: number[]; pending: number }[] = [];
  let responseSeq = 0;
  const respond = () => slack.responseUrl(`soak-${++responseSeq}`);
  const seen = new Set<number>();
  let leadsSent = 0;
  let claimsSent = 0;
  let commandsSent = 0;
  let followUps = 0;

  const intake = async () => {
    for (let i = 0; running(); i++) {
      const url = pick(urls);
      const body =
        i % 25 === 0
          ? {
              leads: Array.from({ length: 10 }, (_, j) => ({
                team: 'alpha',
                name: `Batch ${i}-${j}`,
                email: `b${i}-${j}@soak.example`,
              })),
            }
          : {
              team: 'alpha',
              name: `Soak ${i}`,
              // Every tenth repeats the lead before it (a duplicate); the rest are new.
              email: `soak${i % 10 === 0 && i > 0 ? i - 1 : i}@soak.example`,
            };
      const path = 'leads' in body ? '/api/leads/batch' : '/api/leads';
      const response = await timed(path === '/api/leads' ? 'intake' : 'intake batch', () =>
        fetch(`${url}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
      );
      if (response) leadsSent += 'leads' in body ? 10 : 1;
      await sleep(1000 / LEADS_PER_SECOND);
    }
  };

  // Three reps race for most new cards, each through another instance; the winner follows up, or not.
  const claims = async () => {
    while (running()) {
      for (const post of slack.history.get('C0SOAK') ?? []) {
        const lead = (post.metadata as { event_payload?: { lead?: number } } | undefined)?.event_payload?.lead;
        if (!lead || seen.has(lead)) continue;
        seen.add(lead);
        if (Math.random() < 0.3) continue; // left in the pool
        const racers = [pick(REPS), pick(REPS), pick(REPS)];
        claimsSent += racers.length;
        void Promise.all(
          racers.map((rep, i) =>
            timed('claim click', () =>
              postSigned(
                `${urls[i % urls.length]}/slack/events`,
                signedForm(claimClick(rep, lead, respond(), 'C0SOAK')),
              ),
            ),
          ),
        ).then(async () => {
          // Slack's clicks are answered before they are run: the winner is known a moment later.
          let owner: string | undefined;
          for (let tries = 0; !owner && tries < 20; tries++) {
            if (tries > 0) await sleep(100);
            const { rows } = await sql.query<{ slack: string }>(
              `SELECT i.external_id AS slack FROM lead l JOIN member_identity i ON i.member_id = l.owner_id AND i.messenger = 'slack' WHERE l.id = $1`,
              [lead],
            );
            owner = rows[0]?.slack;
          }
          if (!owner) return;
          if (Math.random() < 0.5) {
            await sleep(Math.random() * 60_000);
            if (!running()) return;
            followUps++;
            await timed('follow-up command', () =>
              postSigned(
                `${pick(urls)}/slack/events`,
                signedForm(slashCommand(owner, `log L-${lead} call soak follow-up`, respond())),
              ),
            );
          }
        });
      }
      await sleep(200);
    }
  };

  const commands = async () => {
    for (let i = 0; running(); i++) {
      const [who, text] = i % 5 === 0 ? [MANAGER, 'funnel'] : [pick(REPS), i % 2 ? 'mine' : 'claimable'];
      commandsSent++;
      await timed(`/lead ${text}`, () =>
        postSigned(`${pick(urls)}/slack/events`, signedForm(slashCommand(who, text, respond()))),
      );
      await sleep(700);
    }
  };

  // Slack says "slow down" now and then.
  const limits = async () => {
    while (running()) {
      await sleep(15_000);
      slack.retryAfterSeconds = 1;
      slack.failures.set('chat.postMessage', ['ratelimited']);
    }
  };

  const sample = async () => {
    while (running()) {
      await sleep(30_000);
      const figures = await Promise.all(
        urls.map(async (url) => {
          const text = await fetch(`${url}/metrics`).then(
            (r) => r.text(),
            () => '',
          );
          const mb = (series: string) => (seriesValue(text, series) ?? 0) / 2 ** 20;
          return {
            rss: mb('leadpool_process_resident_memory_bytes'),
            heap: mb('leadpool_nodejs_heap_size_used_bytes'),
          };
        }),
      );
      const rss = figures.map((f) => f.rss);
      const heap = figures.map((f) => f.heap);
      const { rows } = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL AND dead_at IS NULL',
      );
      const minute = (performance.now() - started) / 60_000;
      samples.push({ minute, rss, heap, pending: rows[0]?.n ?? 0 });
      console.log(
        `soak ${minute.toFixed(1)} min: ${leadsSent} leads sent, ${seen.size} cards seen, ${claimsSent} claim clicks, ${commandsSent} commands, ${followUps} follow-ups; RSS ${rss.map((r) => r.toFixed(0)).join(' / ')} MB, heap ${heap.map((r) => r.toFixed(0)).join(' / ')} MB; outbox pending ${rows[0]?.n}`,
      );
    }
  };

  await Promise.all([intake(), claims(), commands(), limits(), sample()]);
  const loadSeconds = (performance.now() - started) / 1000;
  console.log('soak: load stopped; waiting for the outbox to empty');
  slack.failures.clear();
  const drainStarted = performance.now();
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL AND dead_at IS NULL',
    );
    if ((rows[0]?.n ?? 0) === 0 || performance.now() - drainStarted > 180_000) break;
    await sleep(1000);
  }
  console.log(
    `soak: the outbox took ${((performance.now() - drainStarted) / 1000).toFixed(0)} s to empty after the load`,
  );
  await sleep(2000);

  const audit = await auditRun(sql, slack);
  const table = [...latencies.entries()].map(([op, values]) => ({
    operation: op,
    count: values.length,
    'per s': (values.length / loadSeconds).toFixed(2),
    'p50 ms': percentile(values, 0.5).toFixed(1),
    'p99 ms': percentile(values, 0.99).toFixed(1),
    'max ms': Math.max(...values).toFixed(1),
  }));
  console.log(`\nsoak: ${loadSeconds.toFixed(0)} s of load on ${INSTANCES} instances`);
  console.table(table);
  console.log('memory per instance (RSS / heap used, MB) and outbox depth over time:');
  console.table(
    samples.map((s) => ({
      minute: s.minute.toFixed(1),
      ...Object.fromEntries(
        s.rss.map((r, i) => [`instance ${i + 1}`, `${r.toFixed(0)} / ${(s.heap[i] ?? 0).toFixed(0)}`]),
      ),
      'outbox pending': s.pending,
    })),
  );
  const firstHalf = samples.slice(0, Math.max(1, Math.floor(samples.length / 2)));
  const secondHalf = samples.slice(Math.floor(samples.length / 2));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  for (let i = 0; i < INSTANCES; i++)
    console.log(
      `instance ${i + 1}: heap used ${mean(firstHalf.map((s) => s.heap[i] ?? 0)).toFixed(0)} MB on average in the first half, ${mean(secondHalf.map((s) => s.heap[i] ?? 0)).toFixed(0)} MB in the second; RSS ${mean(firstHalf.map((s) => s.rss[i] ?? 0)).toFixed(0)} and ${mean(secondHalf.map((s) => s.rss[i] ?? 0)).toFixed(0)} MB`,
    );
  const logErrors = logs.map((lines) => lines.filter((l) => l.includes('"level":"error"')).length);
  console.log(
    `errors: client ${[...errors.entries()].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}; error log lines per instance ${logErrors.join(' / ')}`,
  );
  console.log('audit:');
  console.table(audit.rows);

  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', (code) => {
            if (code !== 0) audit.problems.push(`an instance exited ${code} at SIGTERM`);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  await sql.end();
  await slack.stop();
  await database.drop();
  await server.stop();
  if (audit.problems.length > 0) {
    console.log(`soak FAILED: ${audit.problems.join('; ')}`);
    process.exitCode = 1;
  } else console.log('soak passed: every lead one card, one owner at a time, every notice delivered once');
}

/** What the database and Slack say happened, not what the processes say. */
async function auditRun(sql: pg.Pool, slack: FakeSlack): Promise<{ rows: Record<string, number>; problems: string[] }> {
  const problems: string[] = [];
  const count = async (query: string) => (await sql.query<{ n: number }>(query)).rows[0]?.n ?? 0;
  const leads = await count('SELECT count(*)::int AS n FROM lead');
  const cards = new Map<number, number>();
  const keys = new Map<string, number>();
  for (const [, messages] of slack.history)
    for (const m of messages) {
      const payload = (m.metadata as { event_payload?: { lead?: number; key?: string } } | undefined)?.event_payload;
      if (payload?.key) keys.set(payload.key, (keys.get(payload.key) ?? 0) + 1);
    }
  for (const m of slack.history.get('C0SOAK') ?? []) {
    const lead = (m.metadata as { event_payload?: { lead?: number } } | undefined)?.event_payload?.lead;
    if (lead) cards.set(lead, (cards.get(lead) ?? 0) + 1);
  }
  // A likely duplicate of an owned lead waits for its owner's answer without a card, and one merged never gets one.
  const { rows: carded } = await sql.query<{ id: number }>(
    "SELECT id FROM lead WHERE status NOT IN ('awaiting_owner', 'merged')",
  );
  const withoutCard = carded.filter((l) => !cards.has(l.id)).length;
  const { rows: stuck } = await sql.query<{ kind: string; state: string; error: string | null; n: number }>(
    `SELECT kind, CASE WHEN dead_at IS NULL THEN 'pending' ELSE 'given up' END AS state,
            left(last_error, 120) AS error, count(*)::int AS n
       FROM outbox_message WHERE sent_at IS NULL GROUP BY 1, 2, 3 ORDER BY n DESC LIMIT 10`,
  );
  if (stuck.length > 0) {
    console.log('notices not delivered, by kind and last error:');
    console.table(stuck);
  }
  const twice = [...cards.values()].filter((n) => n > 1).length;
  const keysTwice = [...keys.values()].filter((n) => n > 1).length;
  // One owner at a time: every change of owner starts from the owner the lead had.
  const { rows: events } = await sql.query<{
    lead_id: number;
    from_owner_id: string | null;
    to_owner_id: string | null;
  }>(
    `SELECT lead_id, from_owner_id, to_owner_id FROM lead_event
      WHERE from_owner_id IS NOT NULL OR to_owner_id IS NOT NULL ORDER BY lead_id, id`,
  );
  const ownerOf = new Map<number, string | null>();
  let ownershipBreaks = 0;
  for (const e of events) {
    const current = ownerOf.get(e.lead_id) ?? null;
    if (e.from_owner_id !== e.to_owner_id && e.from_owner_id !== current) ownershipBreaks++;
    ownerOf.set(e.lead_id, e.to_owner_id);
  }
  const { rows: finals } = await sql.query<{ id: number; owner_id: string | null }>('SELECT id, owner_id FROM lead');
  const finalMismatch = finals.filter((l) => (ownerOf.get(l.id) ?? null) !== l.owner_id).length;
  const undelivered = await count('SELECT count(*)::int AS n FROM outbox_message WHERE sent_at IS NULL');
  const claimed = await count("SELECT count(*)::int AS n FROM lead_event WHERE action = 'claimed'");
  const reminded = await count('SELECT count(*)::int AS n FROM lead WHERE reminder_sent_at IS NOT NULL');
  const reclaimed = await count("SELECT count(*)::int AS n FROM lead_event WHERE action = 'reclaimed'");
  const followed = await count("SELECT count(*)::int AS n FROM lead_event WHERE action = 'followed_up'");
  const digests = await count(
    "SELECT count(*)::int AS n FROM outbox_message WHERE kind LIKE '%digest%' AND sent_at IS NOT NULL",
  );
  const rows = {
    leads,
    'leads awaiting their owner or merged (no card)': leads - carded.length,
    'other leads without a card': withoutCard,
    'leads with two cards': twice,
    'messages posted twice (same outbox key)': keysTwice,
    'owner changes not from the owner then': ownershipBreaks,
    'leads whose owner differs from their events': finalMismatch,
    'notices not delivered (incl. given up)': undelivered,
    claims: claimed,
    'follow-ups': followed,
    'owned leads reminded (now)': reminded,
    reclaims: reclaimed,
    'digest messages sent': digests,
  };
  if (withoutCard > 0) problems.push(`${withoutCard} leads without a card`);
  if (twice > 0) problems.push(`${twice} leads with two cards`);
  if (keysTwice > 0) problems.push(`${keysTwice} messages posted twice`);
  if (ownershipBreaks + finalMismatch > 0) problems.push('an owner change that did not start from the owner');
  if (undelivered > 0) problems.push(`${undelivered} notices not delivered`);
  return { rows, problems };
}

main().catch((error: unknown) => {
  console.error('soak failed to run:', error);
  process.exit(1);
});
