/**
 * Behaviour sent after intake moves the score: through the HTTP API on PostgreSQL, by lead
 * reference or by the sender's own id; a replay changes nothing; the owner hears when a lead
 * becomes high priority; unknown leads are 404 and bad bodies 400, with nothing written.
 */
import { describe, expect, it } from 'vitest';
import { useAppSuite } from '../support/app-suite.js';
import { INTAKE_KEY, postLead } from '../support/leadpool.js';

const suite = useAppSuite();

const patch = (path: string, body: unknown, key = INTAKE_KEY) =>
  fetch(`${suite.app.url}${path}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
type Answer = {
  changed: boolean;
  score: number;
  priority: string;
  before: { score: number; priority: string };
  why: { rule: string; points: number }[];
};
const events = (leadId: number) => suite.app.db.prisma.leadEvent.count({ where: { leadId, action: 'rescored' } });
const highDms = async (leadId: number) =>
  (await suite.app.db.prisma.outboxMessage.findMany({ where: { kind: 'member.dm', sink: 'slack' } })).filter((m) => {
    const p = m.payload as { leadId: number; topic: string };
    return p.leadId === leadId && p.topic === 'dm.priority_high';
  }).length;

describe('signals after intake', () => {
  it('raises the score with late behaviour, tells the owner once it is high priority, and ignores a replay', async () => {
    const created = (await (
      await postLead(suite.app, {
        team: 'alpha',
        name: 'Late Bloomer',
        budget: 50000,
        decisionRole: 'decision_maker',
        externalId: 'crm-77',
      })
    ).json()) as { id: number; score: number; priority: string };
    expect(created).toMatchObject({ priority: 'medium' });
    const rep = await suite.app.db.prisma.member.findFirstOrThrow({ where: { teamId: 'alpha', role: 'rep' } });
    await suite.app.db.prisma.lead.update({ where: { id: created.id }, data: { status: 'owned', ownerId: rep.id } });

    const res = await patch(`/api/leads/L-${created.id}/signals`, { signals: { visits: 12 } });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(answer).toMatchObject({
      changed: true,
      priority: 'high',
      before: { score: created.score, priority: 'medium' },
    });
    expect(answer.score).toBe(created.score + 10);
    expect(answer.why.map((w) => w.rule)).toEqual(expect.arrayContaining(['3+ visits', '10+ visits']));
    expect(await events(created.id)).toBe(1);
    expect(await highDms(created.id)).toBe(1);

    // The same totals again: nothing changes, nobody is told twice.
    const replay = (await (
      await patch(`/api/leads/${created.id}/signals`, { signals: { visits: 12 } })
    ).json()) as Answer;
    expect(replay).toMatchObject({ changed: false, score: answer.score, priority: 'high' });
    expect(await events(created.id)).toBe(1);
    expect(await highDms(created.id)).toBe(1);

    // By the sender's own id; signals not sent keep their values.
    const byExternal = await patch('/api/leads/external/alpha/crm-77/signals', { signals: { downloads: 2 } });
    expect(((await byExternal.json()) as Answer).score).toBe(answer.score + 5);
    const stored = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.signals).toEqual({ visits: 12, downloads: 2 });
  });

  it('answers 404 for an unknown lead, 400 for bad signals and 401 without the key, writing nothing', async () => {
    const before = await suite.app.db.prisma.leadEvent.count({ where: { action: 'rescored' } });
    expect((await patch('/api/leads/987654/signals', { signals: { visits: 1 } })).status).toBe(404);
    expect((await patch('/api/leads/external/alpha/nobody/signals', { signals: { visits: 1 } })).status).toBe(404);
    const bad = await patch('/api/leads/1/signals', { signals: { visits: -1, mood: 'great' } });
    expect(bad.status).toBe(400);
    const fields = ((await bad.json()) as { fields: Record<string, string[]> }).fields;
    expect(Object.keys(fields).sort()).toEqual(['signals.mood', 'signals.visits']);
    expect((await patch('/api/leads/1/signals', { signals: { visits: 1 } }, 'wrong-key-0123456789')).status).toBe(401);
    expect(await suite.app.db.prisma.leadEvent.count({ where: { action: 'rescored' } })).toBe(before);
  });
});
