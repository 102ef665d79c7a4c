/**
 * Distribution as a team meets it, through the real app and Slack: a ranking pool and a
 * least-loaded pool giving out API leads with DMs that say why, a member's own daily quota refusing
 * their click, a first look naming who has it and a whole minute at which a click wins, and a rep
 * back from a pause catching up by a bounded number of leads.
 */
import { describe, expect, it } from 'vitest';
import { CATCH_UP_LEADS } from '../../src/domain/distribution/choose-assignee.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { postLead, repId } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';
import { until } from '../support/until.js';

const clock = new ManualClock('2026-11-23T02:00:00Z');
const teams = `teams:
  - id: alpha
    name: Alpha Sales
    timezone: UTC
    locale: en
    slack: { channel: C0ALPHA }
    claim: { dailyQuota: 30, holdingCap: 60, cooldown: 1h }
    sla: { followUp: 1d }
    cardBurst: off
    members:
      - { name: Rep 0, slack: ${repId(0)}, dailyQuota: 1 }
      - { name: Rep 1, slack: ${repId(1)} }
      - { name: Rep 2, slack: ${repId(2)} }
      - { name: Rep 3, slack: ${repId(3)} }
    pools:
      - { id: ranked, name: Ranked, match: { region: [Ranked] }, mode: ranking, members: [Rep 1, Rep 2, Rep 3] }
      - { id: light, name: Light, match: { region: [Light] }, mode: least_loaded, members: [Rep 1, Rep 2] }
      - { id: rota, name: Rota, match: { region: [Rota] }, mode: round_robin, members: [Rep 1, Rep 2, Rep 3] }
      - { id: hot, name: Hot, match: { region: [Hot] }, firstTo: { members: [Rep 2, Rep 3], grades: [poor, medium, good], for: 10m } }
      - { id: rest, name: Rest }
`;
const suite = useSlackSuite(teams, { clock, poolSize: 5 });
let seq = 0;

async function lead(region: string): Promise<number> {
  const res = await postLead(suite.app, { team: 'alpha', name: `${region} Lead ${++seq}`, region });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

async function ownerOf(id: number): Promise<string | null> {
  const owner = async () =>
    (await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id }, include: { owner: true } })).owner;
  await until(async () => (await owner()) !== null, `an owner for L-${id}`, 4_000).catch(() => undefined);
  return (await owner())?.displayName ?? null;
}

async function command(userId: string, text: string): Promise<string> {
  const id = `d${++seq}`;
  await postSigned(`${suite.app.url}/slack/events`, signedForm(slashCommand(userId, text, suite.fake.responseUrl(id))));
  await suite.fake.waitFor(() => suite.fake.calls.some((c) => c.method === `respond:/respond/${id}`), text);
  return String(suite.fake.calls.find((c) => c.method === `respond:/respond/${id}`)?.body.text);
}

async function click(userId: string, leadId: number): Promise<string> {
  const before = suite.fake.to('chat.postEphemeral', 'C0ALPHA').length;
  await postSigned(
    `${suite.app.url}/slack/events`,
    signedForm(claimClick(userId, leadId, suite.fake.responseUrl(`k${++seq}`))),
  );
  const owned = async () =>
    (await suite.app.db.prisma.lead.findUniqueOrThrow({ where: { id: leadId } })).ownerId !== null;
  const refusals = () => suite.fake.to('chat.postEphemeral', 'C0ALPHA');
  const answered = await until(async () => (await owned()) || refusals().length > before, 'the claim', 4_000)
    .then(() => true)
    .catch(() => false);
  if (!answered) return 'nothing';
  return (await owned()) ? 'won' : String(refusals().at(-1)?.body.text);
}

const poolDm = async (rep: number, leadId: number) => {
  await suite.app.relay.drain();
  return suite.fake
    .to('chat.postMessage', repId(rep))
    .map((c) => String(c.body.text))
    .find((t) => t.includes(`L-${leadId}`));
};

describe('distribution through the real app', () => {
  it('a ranking pool and a least-loaded pool give API leads out, each DM saying why', async () => {
    const ranked = await lead('Ranked');
    const rankedOwner = await ownerOf(ranked);
    expect(['Rep 1', 'Rep 2', 'Rep 3']).toContain(rankedOwner);
    expect(await poolDm(Number(rankedOwner?.slice(-1)), ranked)).toContain('It was your ranking band’s turn.');
    const light = await lead('Light');
    const lightOwner = await ownerOf(light);
    expect(await poolDm(Number(lightOwner?.slice(-1)), light)).toContain('You had the fewest open leads.');
  });

  it('a member’s own daily quota refuses their second claim, while the team’s lets others go on', async () => {
    const first = await lead('Anywhere');
    const second = await lead('Anywhere');
    expect(await click(repId(0), first)).toBe('won');
    expect(await click(repId(0), second)).toContain('1/1');
    expect(await click(repId(1), second)).toBe('won');
  });

  it('a first look names who has it and a whole minute from which a click wins', async () => {
    const hot = await lead('Hot');
    clock.advance(3 * 60_000 + 24_000); // 3 min 24 s into its 10 minutes
    const refused = await click(repId(1), hot);
    expect(refused).toContain('goes to Rep 2, Rep 3 first');
    const [hh, mm] = (/from \w{3}, \w{3} \d+, (\d\d):(\d\d)/.exec(refused) ?? []).slice(1).map(Number);
    const told = new Date(clock.now());
    told.setUTCHours(hh ?? 0, mm ?? 0, 0, 0);
    const endsAt = Date.parse('2026-11-23T02:00:00Z') + 10 * 60_000 + 0; // the lead came in at 02:00
    expect(told.getTime()).toBeGreaterThanOrEqual(endsAt);
    expect(told.getTime() - endsAt).toBeLessThan(60_000);
    clock.set(told);
    expect(await click(repId(1), hot)).toBe('won');
  });

  it('a rep back from a pause catches up by a bounded number of leads, then takes turns', async () => {
    expect(await command(repId(3), 'pause')).toContain('paused');
    const away: string[] = [];
    for (let i = 0; i < 8; i++) away.push((await ownerOf(await lead('Rota'))) ?? '?');
    expect(away).not.toContain('Rep 3');
    expect(await command(repId(3), 'resume')).toContain('again');
    const back: string[] = [];
    for (let i = 0; i < 9; i++) back.push((await ownerOf(await lead('Rota'))) ?? '?');
    // Rep 3 first takes the catch-up in a row (not the 8 leads given while away), then turns again.
    expect(back.slice(0, CATCH_UP_LEADS)).toEqual(Array(CATCH_UP_LEADS).fill('Rep 3'));
    const turns = back.slice(CATCH_UP_LEADS);
    expect(turns.slice(0, 3).sort()).toEqual(['Rep 1', 'Rep 2', 'Rep 3']);
    expect(turns.slice(3, 6).sort()).toEqual(['Rep 1', 'Rep 2', 'Rep 3']);
  });
});
