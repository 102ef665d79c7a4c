/**
 * Seeded fuzzing of every way in: slash command texts, block_actions, view_submission and intake
 * API bodies, through the real HTTP server, Bolt and PostgreSQL. Bounded for CI; `npm run fuzz`
 * runs ten times as many (FUZZ_SCALE=10), and FUZZ_SEED replays a run.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_IDS } from '../../src/messengers/shared/action-ids.js';
import { INTAKE_KEY, MANAGER, repId, rowCounts } from '../support/leadpool.js';
import { postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { blockActionsPayload, leadBody, nastyString, Rng, slashText, viewSubmissionPayload } from './generators.js';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CONCURRENCY = 8;

const suite = useSlackSuite();
const { logLines } = suite;

interface Tally {
  inputs: number;
  byStatus: Record<number, number>;
  failures: { index: number; status: number; input: string }[];
}

/** Sends `count` generated requests, `CONCURRENCY` at a time, and tallies the answers. */
async function fuzz(
  count: number,
  send: (index: number) => Promise<{ status: number; input: string; body: string }>,
  onAnswer: (body: string) => void = () => {},
): Promise<Tally> {
  const tally: Tally = { inputs: 0, byStatus: {}, failures: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const { status, input, body } = await send(index);
      tally.inputs++;
      tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
      if (status >= 500 && tally.failures.length < 5)
        tally.failures.push({ index, status, input: input.slice(0, 300) });
      onAnswer(body);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return tally;
}

function report(what: string, tally: Tally, extra = ''): void {
  console.log(
    `fuzz ${what}: ${tally.inputs} inputs (seed ${SEED}), answers ${JSON.stringify(tally.byStatus)}, 0 crashes${extra}`,
  );
}

const users = [repId(0), repId(1), MANAGER, 'UOUTSIDER', 'W0GUEST', 'U\u0000NUL', '<@U0000>'];
const eventsUrl = () => `${suite.app.url}/slack/events`;

async function sendSlack(fields: Record<string, string>) {
  const post = signedForm(fields);
  const res = await postSigned(eventsUrl(), post);
  return { status: res.status, input: post.body, body: await res.text() };
}

const errorLines = () => logLines.filter((l) => l.includes('"level":"error"')).map((l) => l.slice(0, 300));

describe('fuzzing every way in', () => {
  it('slash command texts and block_actions write nothing and never answer 500', async () => {
    const before = await rowCounts(suite.app);
    const rng = new Rng(SEED);
    const texts = await fuzz(2000 * SCALE, (i) =>
      sendSlack(slashCommand(rng.pick(users), slashText(rng), suite.fake.responseUrl(`fz${i}`))),
    );
    report('slash texts', texts);
    const actionIds = [...Object.values(ACTION_IDS), 'no.such.action', nastyString(rng).slice(0, 40)];
    const actions = await fuzz(1000 * SCALE, (i) =>
      sendSlack({
        payload: JSON.stringify(blockActionsPayload(rng, users, actionIds, suite.fake.responseUrl(`fa${i}`))),
      }),
    );
    report('block_actions', actions);
    expect([...texts.failures, ...actions.failures]).toEqual([]);
    expect(texts.inputs).toBe(2000 * SCALE);
    // Hostile input is the sender's fault: warnings, never errors.
    expect(errorLines()).toEqual([]);
    expect(await rowCounts(suite.app)).toEqual(before);
    expect((await fetch(`${suite.app.url}/healthz`)).status).toBe(200);
  });

  it('view submissions never answer 500, and only accepted forms add leads', async () => {
    const before = await rowCounts(suite.app);
    const rng = new Rng(SEED + 1);
    let accepted = 0;
    const views = await fuzz(
      500 * SCALE,
      () => sendSlack({ payload: JSON.stringify(viewSubmissionPayload(rng, users)) }),
      (body) => {
        if (body.includes('"response_action":"update"')) accepted++;
      },
    );
    report('view_submission', views, `, ${accepted} accepted`);
    expect(views.failures).toEqual([]);
    expect(accepted).toBeGreaterThan(0);
    expect(errorLines()).toEqual([]);
    const after = await rowCounts(suite.app);
    // An accepted form stores one lead, or nothing when it is identical to one already stored.
    expect(after.lead - before.lead).toBeLessThanOrEqual(accepted);
    expect(after.follow_up).toBe(before.follow_up);
  });

  it('intake API bodies never answer 500, and leads are stored only for 2xx answers', async () => {
    const before = await rowCounts(suite.app);
    const rng = new Rng(SEED + 2);
    let stored = 0;
    const bodies = await fuzz(
      2000 * SCALE,
      async () => {
        const input = leadBody(rng, rng.chance(0.9) ? 'alpha' : nastyString(rng));
        const res = await fetch(`${suite.app.url}/api/leads`, {
          method: 'POST',
          headers: { authorization: `Bearer ${INTAKE_KEY}`, 'content-type': 'application/json' },
          body: input,
        });
        return { status: res.status, input, body: await res.text() };
      },
      (body) => {
        if (/"outcome":"(created|merged|awaiting_owner)"/.test(body)) stored++;
      },
    );
    report('API bodies', bodies, `, ${stored} stored`);
    expect(bodies.failures).toEqual([]);
    expect(Object.keys(bodies.byStatus).every((s) => Number(s) < 500)).toBe(true);
    expect((await rowCounts(suite.app)).lead - before.lead).toBe(stored);
    expect((await fetch(`${suite.app.url}/healthz`)).status).toBe(200);
  });
});
