import { describe, expect, it } from 'vitest';
import { cardClick, textMessage } from '../support/lark-requests.js';
import { useLarkSuite } from '../support/lark-suite.js';
import { LARK_CHAT, larkRepId, postLead, teamsYaml } from '../support/leadpool.js';

const suite = useLarkSuite({ transport: 'long_connection', teams: teamsYaml({ reps: 200, lark: true }) });

describe('Lark long connection (the SDK WSClient, no public URL)', () => {
  it('is ready (/readyz) once the connection is up', async () => {
    const ready = await fetch(`${suite.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', reasons: [] });
  });

  it('answers a card click on the connection with a toast and the updated card', async () => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'Chen Jie' });
    const { id } = (await res.json()) as { id: number };
    const answer = await suite.fake.push(
      cardClick({ openId: larkRepId(0), value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
    );
    expect(answer.code).toBe(200);
    const data = answer.data as { toast: { type: string; content: string }; card: { data: unknown } };
    expect(data.toast).toEqual({ type: 'success', content: `Claimed L-${id}. Its contact details are in your DM.` });
    expect(JSON.stringify(data.card.data)).toContain('Claimed by Rep 0');
    const second = await suite.fake.push(
      cardClick({ openId: larkRepId(1), value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
    );
    expect((second.data as { toast: { content: string } }).toast.content).toBe(
      'Too late: this lead was already claimed by Rep 0.',
    );
  });

  it('200 concurrent clicks pushed down the connection: one owner, 199 refusals with the reason', async () => {
    const res = await postLead(suite.app, { team: 'alpha', name: 'Burst On The Wire' });
    const { id } = (await res.json()) as { id: number };
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        suite.fake.push(
          cardClick({ openId: larkRepId(i), value: { action: 'lead.claim', lead: String(id) }, chatId: LARK_CHAT }),
        ),
      ),
    );
    const toasts = answers.map((a) => (a.data as { toast: { type: string; content: string } }).toast);
    expect(toasts.filter((t) => t.type === 'success')).toHaveLength(1);
    const refused = toasts.filter((t) => t.type === 'warning');
    expect(refused).toHaveLength(199);
    expect(refused.every((t) => /^Too late: this lead was already claimed by Rep \d+\.$/.test(t.content))).toBe(true);
    expect(await suite.app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'claimed' } })).toBe(1);
  });

  it('answers a text command on the connection with a reply in the DM', async () => {
    const rep = larkRepId(2);
    const answer = await suite.fake.push(textMessage({ openId: rep, text: 'help' }));
    expect(answer.code).toBe(200);
    await suite.fake.waitFor(() => suite.fake.to(`oc_p2p_${rep}`).length === 1, 'help reply');
    expect(JSON.stringify(suite.fake.to(`oc_p2p_${rep}`)[0]?.card)).toContain('Leadpool commands');
  });
});
