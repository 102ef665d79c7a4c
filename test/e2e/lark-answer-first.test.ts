/**
 * Lark pushes an event again when it is not answered within 3 s: a command typed to the bot is
 * answered at once and runs after, however long its work takes (an export's upload here).
 */
import { describe, expect, it } from 'vitest';
import { postLarkCallback, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_MANAGER } from '../support/leadpool.js';

const suite = useLarkSuite();

describe('a command sent to the Lark bot', () => {
  it('is answered within a second while its slow work goes on, and its reply still arrives', async () => {
    suite.fake.answerDelayMs = 3_500;
    const sentBefore = suite.fake.uploads.length;
    const started = Date.now();
    const answer = await postLarkCallback(
      suite.app.url,
      textMessage({ openId: LARK_MANAGER, text: 'export this month' }),
    );
    const answeredIn = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answeredIn).toBeLessThan(1_000);
    // The upload was still on its way when the event was answered; it arrives after.
    expect(suite.fake.uploads.length).toBe(sentBefore);
    await suite.fake.waitFor(() => suite.fake.uploads.length > sentBefore, 'the export file', 15_000);
    suite.fake.answerDelayMs = 0;
  }, 30_000);
});
