/**
 * Teams in different Slack workspaces of one deployment (an Enterprise Grid organisation's
 * workspaces under an org-wide install): each team names its workspace, and its people are known
 * only as that workspace's users. The same user id in two workspaces is two people: one cannot
 * claim, see or list the other's leads. Through the real Bolt receiver, in Slack's request shapes
 * with each workspace's team id.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { postLead, separateTeamYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { until } from '../support/until.js';

const team = (id: string, workspace: string) => separateTeamYaml(id, { workspace, manager: true });
const suite = useSlackSuite(`teams:\n${team('east', 'T0EAST')}\n${team('west', 'T0WEST')}\n`);

/** A request as Slack sends it from `workspace` (the builders write T0TEST). */
const fromWorkspace = (form: Record<string, string>, workspace: string) =>
  Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v.replaceAll('T0TEST', workspace)]));
let seq = 0;
const events = () => `${suite.app.url}/slack/events`;

async function ownerName(leadId: number): Promise<string | null> {
  const lead = await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId }, include: { owner: true } });
  return lead.owner?.displayName ?? null;
}

describe('teams in different Slack workspaces', () => {
  it("keeps each workspace's people to their own team's leads, even under the same user id", async () => {
    const res = await postLead(suite.app, { team: 'west', name: 'West Lead', company: 'Westco' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    await suite.app.relay.drain();

    // U0SAME of the east workspace clicks the west card (a forwarded or stale one): refused.
    const eastReply = suite.fake.responseUrl(`east-${++seq}`);
    await postSigned(events(), signedForm(fromWorkspace(claimClick('U0SAME', id, eastReply, 'C0WEST'), 'T0EAST')));
    await until(
      () =>
        suite.fake.of('chat.postEphemeral').some((c) => c.body.user === 'U0SAME') ||
        suite.fake.calls.some((c) => c.method.includes(`east-${seq}`)),
      'the refusal',
    );
    expect(await ownerName(id)).toBeNull();
    // …and from a workspace the file does not name at all: refused too.
    await postSigned(
      events(),
      signedForm(fromWorkspace(claimClick('U0SAME', id, suite.fake.responseUrl(`x-${++seq}`), 'C0WEST'), 'T0OTHER')),
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(await ownerName(id)).toBeNull();

    // The same user id in the west workspace is the west rep: the claim is theirs.
    await postSigned(
      events(),
      signedForm(fromWorkspace(claimClick('U0SAME', id, suite.fake.responseUrl(`w-${++seq}`), 'C0WEST'), 'T0WEST')),
    );
    await until(async () => (await ownerName(id)) === 'Rep of west', 'the west rep to own the lead');

    // Their own leads, as each workspace's U0SAME lists them.
    const mine = async (workspace: string) => {
      const reply = `mine-${++seq}`;
      await postSigned(
        events(),
        signedForm(fromWorkspace(slashCommand('U0SAME', 'mine', suite.fake.responseUrl(reply)), workspace)),
      );
      await until(
        () => suite.fake.calls.some((c) => c.method === `respond:/respond/${reply}`),
        `the reply to ${workspace}`,
      );
      return String(suite.fake.calls.find((c) => c.method === `respond:/respond/${reply}`)?.body.text);
    };
    expect(await mine('T0WEST')).toContain('West Lead');
    expect(await mine('T0EAST')).not.toContain('West Lead');
  });

  it("takes a claim in the shape of an org-wide install (no team, the user's workspace named), as Slack's own sample sends it", async (ctx) => {
    const path = join(
      import.meta.dirname,
      '../../../shared/data/platform-samples/slack.block_actions.org-install-ephemeral.json',
    );
    if (!existsSync(path)) return ctx.skip('did not run: ../shared/data (the platform samples) is absent');
    const sample = (JSON.parse(readFileSync(path, 'utf8')) as { payload: Record<string, unknown> }).payload;
    const res = await postLead(suite.app, { team: 'east', name: 'East Lead', company: 'Eastco' });
    const { id } = (await res.json()) as { id: number };
    await suite.app.relay.drain();
    const click = (workspace: string) => ({
      payload: JSON.stringify({
        ...sample,
        user: { ...(sample.user as object), id: 'U0SAME', team_id: workspace },
        container: { ...(sample.container as object), channel_id: 'C0EAST', is_ephemeral: false },
        channel: { id: 'C0EAST', name: 'east' },
        response_url: suite.fake.responseUrl(`org-${++seq}`),
        actions: [{ ...((sample.actions as object[])[0] as object), action_id: 'lead.claim', value: String(id) }],
      }),
    });
    expect(sample.team).toBeNull();
    expect(sample.is_enterprise_install).toBe(true);
    // West's U0SAME, then east's: only east's is the east rep.
    const ephemerals = suite.fake.of('chat.postEphemeral').length;
    await postSigned(events(), signedForm(click('T0WEST')));
    await until(
      () =>
        suite.fake.calls.some((c) => c.method === `respond:/respond/org-${seq}`) ||
        suite.fake.of('chat.postEphemeral').length > ephemerals,
      'the refusal',
    );
    expect(await ownerName(id)).toBeNull();
    await postSigned(events(), signedForm(click('T0EAST')));
    await until(async () => (await ownerName(id)) === 'Rep of east', 'the east rep to own the lead');
  });
});
