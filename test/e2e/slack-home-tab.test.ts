/**
 * The Home tab's buttons, clicked as Slack sends such clicks: from a view, with no response_url,
 * no channel and no message (the shape of Slack's own sample in ../shared/data/platform-samples).
 * Every desk button must open its form or answer; none may be set aside at the edge.
 */
import { describe, expect, it } from 'vitest';
import { MANAGER, postLead, repId, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, viewButtonClick } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const suite = useSlackSuite(teamsYaml({ reps: 2 }));

async function ownedLead(): Promise<number> {
  const res = await postLead(suite.app, { team: 'alpha', name: 'Home Tab Lead', company: 'Desk Co' });
  const { id } = (await res.json()) as { id: number };
  await suite.app.relay.drain();
  await postSigned(`${suite.app.url}/slack/events`, signedForm(claimClick(repId(0), id, suite.fake.responseUrl('c'))));
  for (let i = 0; i < 100; i++) {
    const lead = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    if (lead.status === 'owned') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return id;
}

async function clickInView(userId: string, actionId: string, value: string, viewType: 'home' | 'modal' = 'home') {
  const opened = suite.fake.of('views.open').length;
  const res = await postSigned(
    `${suite.app.url}/slack/events`,
    signedForm(viewButtonClick(userId, actionId, value, viewType)),
  );
  expect(res.status).toBe(200);
  await suite.fake.waitFor(() => suite.fake.of('views.open').length > opened, `a modal for ${actionId}`);
  return suite.fake.of('views.open').at(-1)?.body.view as { callback_id?: string; blocks: unknown[] };
}

describe('buttons on the Home tab and in modals', () => {
  it('open their forms and answers though the click has no response_url or channel', async () => {
    const id = await ownedLead();
    expect((await clickInView(repId(0), 'lead.follow_up.open', String(id))).callback_id).toBe('lead.follow_up.modal');
    expect(JSON.stringify((await clickInView(repId(0), 'lead.show', String(id))).blocks)).toContain(`L-${id}`);
    expect((await clickInView(repId(0), 'lead.release.open', String(id))).callback_id).toBe('lead.release.modal');
    expect((await clickInView(MANAGER, 'lead.assign.open', String(id))).callback_id).toBe('lead.assign.modal');
    // A button inside a modal is a view click too.
    expect((await clickInView(repId(0), 'lead.show', String(id), 'modal')).blocks.length).toBeGreaterThan(0);
    const setAside = suite.logLines.filter((l) => l.includes('acknowledged and ignored') || l.includes('no listener'));
    expect(setAside).toEqual([]);
  });

  it('answer a button whose value is not a lead (forged, or from an old view) with a word, not silence', async () => {
    for (const actionId of ['lead.show', 'lead.release.open', 'lead.assign.open', 'report.funnel']) {
      const before = suite.logLines.filter((l) => l.includes('malformed value ignored')).length;
      const view = await clickInView(MANAGER, actionId, 'L-not-a-lead');
      expect(JSON.stringify(view.blocks), actionId).toContain('这个按钮已过期'); // the manager reads Chinese
      expect(suite.logLines.filter((l) => l.includes('malformed value ignored')).length).toBe(before + 1);
    }
  });
});
