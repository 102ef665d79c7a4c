/**
 * Seeded fuzzing of Lark's ways in: text messages, card clicks (buttons and form submits) and whole
 * callback payloads, encrypted and signed as Lark sends them, through the real HTTP server, the
 * Lark SDK's dispatcher and PostgreSQL. `npm run fuzz` runs ten times as many; FUZZ_SEED replays.
 */
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, FORM_ACTIONS } from '../../src/messengers/shared/action-ids.js';
import { cardClick, postLarkCallback, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_APP, LARK_MANAGER, larkRepId, rowCounts } from '../support/leadpool.js';
import { anyJson, mutate, nastyString, Rng, slashText } from './generators.js';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1);
const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const CONCURRENCY = 8;

const suite = useLarkSuite();
const { logLines } = suite;

const members = [larkRepId(0), larkRepId(1), LARK_MANAGER];
const outsiders = ['ou_outsider', 'ou_\u0000nul', 'oc_not_a_user', `ou_${'x'.repeat(200)}`];
const errorLines = () => logLines.filter((l) => l.includes('"level":"error"')).map((l) => l.slice(0, 300));

async function fuzz(count: number, payload: (rng: Rng) => unknown, rng: Rng) {
  const statuses: Record<number, number> = {};
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < count) {
      const input = payload(rng);
      const answer = await postLarkCallback(suite.app.url, input);
      statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
      if (answer.status >= 500 && failures.length < 5) failures.push(JSON.stringify(input).slice(0, 300));
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { statuses, failures };
}

describe('fuzzing Lark', () => {
  it('text messages, button clicks and whole payloads write nothing and never answer 500', async () => {
    const before = await rowCounts(suite.app);
    const rng = new Rng(SEED + 10);
    const users = [...members, ...outsiders];
    const texts = await fuzz(
      600 * SCALE,
      (r) => {
        const words = r.chance(0.3)
          ? `${r.pick(['跟进', '我的', '帮助', '/lead', '@_user_1'])} ${slashText(r)}`
          : slashText(r);
        const message = textMessage({ openId: r.pick(users), text: words, chatType: r.chance(0.5) ? 'p2p' : 'group' });
        return r.chance(0.3) ? mutate(r, message, ['event', 'header', 'schema']) : message;
      },
      rng,
    );
    const actions = [...Object.values(ACTION_IDS), 'no.such.action', nastyString(rng).slice(0, 40)];
    const clicks = await fuzz(
      600 * SCALE,
      (r) => {
        const value: Record<string, string> = {
          action: r.pick(actions),
          lead: r.chance(0.5) ? String(r.int(1e6) + 1_000_000) : nastyString(r),
        };
        const click = cardClick({ openId: r.pick(users), value });
        if (r.chance(0.3)) (click.event as Record<string, unknown>).action = anyJson(r);
        return r.chance(0.3) ? mutate(r, click, ['event', 'header', 'schema']) : click;
      },
      rng,
    );
    const whole = await fuzz(
      300 * SCALE,
      (r) =>
        r.chance(0.5)
          ? anyJson(r)
          : {
              schema: '2.0',
              header: {
                token: LARK_APP.token,
                event_type: r.pick(['card.action.trigger', 'im.message.receive_v1', 'application.bot.menu_v6', 'nope']),
                event_id: nastyString(r),
              },
              event: anyJson(r),
            },
      rng,
    );
    console.log(
      `fuzz Lark (seed ${SEED}): texts ${JSON.stringify(texts.statuses)}, clicks ${JSON.stringify(clicks.statuses)}, payloads ${JSON.stringify(whole.statuses)}, 0 crashes`,
    );
    expect([...texts.failures, ...clicks.failures, ...whole.failures]).toEqual([]);
    expect(errorLines()).toEqual([]);
    expect(await rowCounts(suite.app)).toEqual(before);
    expect((await fetch(`${suite.app.url}/healthz`)).status).toBe(200);
  });

  it('form submits from people outside the team add nothing', async () => {
    const before = await rowCounts(suite.app);
    const rng = new Rng(SEED + 11);
    const submits = await fuzz(
      300 * SCALE,
      (r) =>
        cardClick({
          openId: r.pick(outsiders),
          value: { action: FORM_ACTIONS.newLeadSubmit, team: r.chance(0.8) ? 'alpha' : nastyString(r) },
          formValue: r.chance(0.7)
            ? { name: `Fuzz ${r.int(1e9)}`, email: nastyString(r) }
            : (anyJson(r) as Record<string, unknown>),
        }),
      rng,
    );
    expect(submits.failures).toEqual([]);
    expect(errorLines()).toEqual([]);
    expect((await rowCounts(suite.app)).lead).toBe(before.lead);
  });
});
