import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { FakeSlack } from '../support/fake-slack.js';
import { MANAGER, postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';

const MINUTE = 60_000;
/** A sweep with nothing to do: a second sweep finds each reminder and reclaim already done. */
const NOTHING_DUE = { reminded: 0, escalated: 0, reclaimed: 0, duplicatesPooled: 0, assigned: 0, failed: 0 };
let db: TestDatabase;
let fake: FakeSlack;
let app: Leadpool;
const clock = new ManualClock('2026-03-02T09:00:00Z');
let responseSeq = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  fake = new FakeSlack();
  await fake.start();
  app = await startTestLeadpool({
    databaseUrl: db.url,
    slackApiUrl: fake.apiUrl,
    clock,
    teams: teamsYaml({ reps: 200, dailyQuota: 5, holdingCap: 30, cooldown: '1h', followUp: '10m', remindBefore: '2m' }),
  });
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
  await db?.drop();
});

const eventsUrl = () => `${app.url}/slack/events`;

let leadSeq = 0;
async function newLead(fields: Record<string, unknown> = {}): Promise<number> {
  const res = await postLead(app, { team: 'alpha', name: `Zhang Wei ${++leadSeq}`, company: 'Acme GmbH', ...fields });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: number };
  await app.relay.drain();
  return id;
}

function click(userId: string, leadId: number): Promise<Response> {
  return postSigned(eventsUrl(), signedForm(claimClick(userId, leadId, fake.responseUrl(`r${++responseSeq}`))));
}

/** Runs a slash command and returns the ephemeral text posted to its response_url. */
async function command(userId: string, text: string): Promise<string> {
  const id = `r${++responseSeq}`;
  const res = await postSigned(eventsUrl(), signedForm(slashCommand(userId, text, fake.responseUrl(id))));
  expect(res.status).toBe(200);
  const path = `respond:/respond/${id}`;
  await fake.waitFor(() => fake.calls.some((c) => c.method === path), `reply to /lead ${text}`);
  const reply = fake.calls.find((c) => c.method === path);
  expect(reply?.body.response_type).toBe('ephemeral');
  return String(reply?.body.text);
}

const ephemeralsTo = (user: string) => fake.of('chat.postEphemeral').filter((c) => c.body.user === user);
const cardUpdates = (text: string) => fake.of('chat.update').filter((c) => String(c.body.text).includes(text));
const dmsTo = (user: string) => fake.to('chat.postMessage', user);

async function ownerOf(leadId: number): Promise<string | null> {
  const lead = await app.db.prisma.lead.findUnique({
    where: { id: leadId },
    include: { owner: { include: { identities: true } } },
  });
  return lead?.owner?.identities.find((i) => i.messenger === 'slack')?.externalId ?? null;
}

describe('intake to channel', () => {
  it('posts a card with a Claim button and masked contact details to the team channel', async () => {
    fake.reset();
    const id = await newLead({ email: 'Wei.Zhang@Acme.example', phone: '+49 151 23456789' });
    const [post] = fake.to('chat.postMessage', 'C0ALPHA');
    expect(post).toBeDefined();
    const blocks = JSON.stringify(post?.body.blocks);
    expect(blocks).toContain('"action_id":"lead.claim"');
    expect(blocks).toContain(`"value":"${id}"`);
    expect(blocks).toContain(`L-${id}`);
    expect(blocks).not.toContain('wei.zhang@acme.example');
    expect(blocks).not.toContain('23456789');
    expect(blocks).toContain('w•••@acme.example');
    const stored = await app.db.prisma.leadPost.findUnique({
      where: { leadId_messenger: { leadId: id, messenger: 'slack' } },
    });
    expect(stored?.channelId).toBe('C0ALPHA');
  });
});

describe('claiming', () => {
  it('gives the lead to the first clicker, edits the card, DMs the contact, and tells the next clicker who won', async () => {
    const id = await newLead({ email: 'buyer@acme.example', phone: '+49 151 98765432' });
    fake.reset();
    expect((await click(repId(0), id)).status).toBe(200);
    await fake.waitFor(
      () => cardUpdates('Claimed by Rep 0').length === 1 && dmsTo(repId(0)).length === 1,
      'claim update',
    );
    const update = cardUpdates('Claimed by Rep 0')[0];
    expect(JSON.stringify(update?.body.blocks)).not.toContain('lead.claim');
    // The clicked card is also replaced at once through the click's own response URL.
    const replaced = fake.of(`respond:/respond/r${responseSeq}`);
    expect(replaced).toHaveLength(1);
    expect(replaced[0]?.body.replace_original).toBe(true);
    expect(JSON.stringify(replaced[0]?.body.blocks)).toBe(JSON.stringify(update?.body.blocks));
    const dm = String(dmsTo(repId(0))[0]?.body.text);
    expect(dm).toContain('+49 1519 8765432');
    expect(dm).toContain('buyer@acme.example');
    expect(await ownerOf(id)).toBe(repId(0));

    expect((await click(repId(1), id)).status).toBe(200);
    await fake.waitFor(() => ephemeralsTo(repId(1)).length === 1, 'ephemeral to the loser');
    expect(ephemeralsTo(repId(1))[0]?.body.text).toContain('already claimed by Rep 0');
    expect(await ownerOf(id)).toBe(repId(0));
  });

  it('refuses a Slack user who is not in the team, with the reason', async () => {
    const id = await newLead();
    await click('U9STRANGER', id);
    await fake.waitFor(() => ephemeralsTo('U9STRANGER').length === 1, 'ephemeral to outsider');
    expect(ephemeralsTo('U9STRANGER')[0]?.body.text).toContain('not a member of team Alpha Sales');
    expect(await ownerOf(id)).toBeNull();
  });

  it('200 simultaneous clicks on one lead: exactly one owner and one "claimed" card update', async () => {
    const id = await newLead();
    fake.reset();
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => click(repId(i), id)));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await fake.waitFor(() => fake.of('chat.postEphemeral').length === 199, '199 refusals', 30_000);
    await app.relay.drain();
    const winner = await ownerOf(id);
    expect(winner).not.toBeNull();
    const claims = await app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'claimed' } });
    expect(claims).toBe(1);
    expect(fake.of('chat.update').filter((c) => String(c.body.text).includes('Claimed by'))).toHaveLength(1);
    expect(fake.of('chat.postEphemeral').every((c) => String(c.body.text).includes('already claimed'))).toBe(true);
    expect(fake.of('chat.postEphemeral').some((c) => c.body.user === winner)).toBe(false);
    // Only the winner's click replaced its card; no refusal touched a card.
    const replaced = fake.calls.filter((c) => c.method.startsWith('respond:') && c.body.replace_original === true);
    expect(replaced).toHaveLength(1);
    expect(JSON.stringify(replaced[0]?.body.blocks)).toContain('Claimed by');
  });

  it('one rep clicking Claim on 20 leads at once with a daily quota of 5 gets exactly 5', async () => {
    const rep = repId(199);
    const ids: number[] = [];
    for (let i = 0; i < 20; i++) ids.push(await newLead({ name: `Quota lead ${i}` }));
    fake.reset();
    await Promise.all(ids.map((id) => click(rep, id)));
    await fake.waitFor(() => ephemeralsTo(rep).length === 15, '15 quota refusals', 30_000);
    const owned = await app.db.prisma.lead.count({
      where: { id: { in: ids }, owner: { identities: { some: { externalId: rep } } } },
    });
    expect(owned).toBe(5);
    expect(ephemeralsTo(rep).every((c) => String(c.body.text).includes('Daily claim quota reached: 5/5'))).toBe(true);
  });
});

describe('bad input changes nothing', () => {
  it('rejects a bad signature with 401 and writes nothing', async () => {
    const id = await newLead();
    const before = await app.db.prisma.leadEvent.count();
    const post = signedForm(claimClick(repId(2), id, fake.responseUrl('x')), { secret: 'wrong-secret' });
    expect((await postSigned(eventsUrl(), post)).status).toBe(401);
    expect(await app.db.prisma.leadEvent.count()).toBe(before);
    expect(await ownerOf(id)).toBeNull();
  });

  it('rejects a correctly signed but stale request (over 5 minutes old) with 401', async () => {
    const id = await newLead();
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    const post = signedForm(claimClick(repId(2), id, fake.responseUrl('x')), { timestamp: stale });
    expect((await postSigned(eventsUrl(), post)).status).toBe(401);
    expect(await ownerOf(id)).toBeNull();
  });

  it('answers malformed /lead text with usage help and logs nothing', async () => {
    const before = await app.db.prisma.followUp.count();
    const unknown = await command(repId(3), 'lgo 12 call hi');
    expect(unknown).toContain('Unknown command "lgo"');
    // Escaped for mrkdwn, so Slack shows the angle brackets instead of reading them as a link.
    expect(unknown).toContain('/lead log &lt;lead&gt; &lt;method&gt;');
    expect(await command(repId(3), 'log twelve call hi')).toContain(`No lead you can see matches "twelve"`);
    expect(await command(repId(3), 'log 12 fax hi')).toContain('"fax" is not a follow-up method');
    expect(await command(repId(3), 'log 12 call')).toContain('To log a follow-up');
    expect(await app.db.prisma.followUp.count()).toBe(before);
  });
});

describe('follow-ups and my leads', () => {
  it('lets only the owner log a follow-up, which restarts the deadline; /lead mine lists it', async () => {
    const id = await newLead({ name: 'Li Na', company: 'Globex' });
    await click(repId(4), id);
    await fake.waitFor(() => dmsTo(repId(4)).length > 0, 'claim DM');
    const claimed = await app.db.prisma.lead.findUniqueOrThrow({ where: { id } });

    const refused = await command(repId(5), `log ${id} call I called them`);
    expect(refused).toContain(`L-${id} is not yours`);
    expect(await app.db.prisma.followUp.count({ where: { leadId: id } })).toBe(0);

    clock.advance(3 * MINUTE);
    const done = await command(repId(4), `log L-${id} call Spoke to the buyer, sending a quote`);
    expect(done).toContain(`Logged a follow-up (call) on L-${id}`);
    const after = await app.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(after.followUpDueAt?.getTime()).toBe((claimed.followUpDueAt?.getTime() ?? 0) + 3 * MINUTE);
    expect(after.stage).toBe('contacted');
    const followUp = await app.db.prisma.followUp.findFirstOrThrow({ where: { leadId: id } });
    expect(followUp.method).toBe('call');
    expect(followUp.note).toBe('Spoke to the buyer, sending a quote');

    // A promised next contact sooner than the SLA becomes the deadline; an unreadable one is refused.
    const sooner = await command(repId(4), `log ${id} email Sent the quote next: in 5m`);
    expect(sooner).toContain(`Logged a follow-up (email) on L-${id}`);
    const promised = await app.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    expect(promised.followUpDueAt?.getTime()).toBe(clock.now().getTime() + 5 * MINUTE);
    const unreadable = await command(repId(4), `log ${id} call Called next: someday`);
    expect(unreadable).toContain('Cannot read "someday" as a time');
    expect(await app.db.prisma.followUp.count({ where: { leadId: id } })).toBe(2);

    const mine = await command(repId(4), 'mine');
    expect(mine).toContain('Your open leads (1)');
    expect(mine).toContain(`L-${id} Li Na (Globex)`);
    expect(await command(repId(6), 'mine')).toContain('You have no open leads');
    expect(await command(repId(4), 'mine overdue')).toContain('Nothing overdue');
    const shown = await command(repId(4), `show L-${id}`);
    expect(shown).toContain('Follow-ups (2):');
    expect(shown).toMatch(/History:\n• .* followed up by Rep 4/);
    expect(await command(repId(5), `show ${id}`)).toContain(`You cannot see L-${id}`);
    expect(await command(repId(4), 'mine today')).toContain(`Due later today (1):\n• L-${id} Li Na (Globex)`);
  });
});

describe('SLA: reminder, reclaim, cooldown', () => {
  it('reminds once before the deadline, reclaims on breach, and bars the old owner for the cooldown', async () => {
    const owner = repId(7);
    const id = await newLead({ name: 'Sla Lead' });
    await click(owner, id);
    await fake.waitFor(() => dmsTo(owner).length === 1, 'claim DM');
    fake.reset();

    // Other tests' leads share this clock, so sweep totals are checked as "at least"; this lead's
    // own rows and messages are checked exactly.
    const lead = () => app.db.prisma.lead.findUniqueOrThrow({ where: { id } });
    clock.advance(7 * MINUTE); // 3 minutes left: no reminder yet
    await app.runSlaSweep();
    expect((await lead()).reminderSentAt).toBeNull();
    clock.advance(1 * MINUTE + 1000); // inside the 2-minute reminder window
    expect((await app.runSlaSweep()).reminded).toBeGreaterThanOrEqual(1);
    expect((await lead()).reminderSentAt).not.toBeNull();
    expect(await app.runSlaSweep()).toEqual(NOTHING_DUE);
    await app.relay.drain();
    const reminders = dmsTo(owner);
    expect(reminders).toHaveLength(1);
    expect(String(reminders[0]?.body.text)).toContain(`Reminder: follow up on L-${id}`);
    // The reminder offers the two ways out: log a follow-up, or give the lead back with a reason.
    const actions = JSON.stringify(reminders[0]?.body.blocks);
    expect(actions).toContain(`"action_id":"lead.follow_up.open","value":"${id}"`);
    expect(actions).toContain(`"action_id":"lead.release.open","value":"${id}"`);

    clock.advance(2 * MINUTE); // past the deadline
    expect((await app.runSlaSweep()).reclaimed).toBeGreaterThanOrEqual(1);
    expect(await app.runSlaSweep()).toEqual(NOTHING_DUE);
    expect(await app.db.prisma.leadEvent.count({ where: { leadId: id, action: 'reclaimed' } })).toBe(1);
    await app.relay.drain();
    expect(await ownerOf(id)).toBeNull();
    const card = fake
      .of('chat.update')
      .filter((c) => JSON.stringify(c.body.blocks).includes(`L-${id}`))
      .at(-1);
    expect(JSON.stringify(card?.body.blocks)).toContain('"action_id":"lead.claim"');
    expect(String(card?.body.text)).toContain('Rep 7 missed the follow-up deadline');
    expect(String(dmsTo(owner).at(-1)?.body.text)).toContain('was returned to the pool');
    expect(String(dmsTo(MANAGER).at(-1)?.body.text)).toContain('已退回公海');
    const event = await app.db.prisma.leadEvent.findFirstOrThrow({ where: { leadId: id, action: 'reclaimed' } });
    expect(event.reason).toBe('follow_up_sla_breached');
    expect(event.actorKind).toBe('system');

    await click(owner, id);
    await fake.waitFor(() => ephemeralsTo(owner).length === 1, 'cooldown refusal');
    expect(ephemeralsTo(owner)[0]?.body.text).toContain('you may claim it again after');
    expect(await ownerOf(id)).toBeNull();

    await click(repId(8), id);
    await fake.waitFor(() => cardUpdates('Claimed by Rep 8').length === 1, 'new claim');
    expect(await ownerOf(id)).toBe(repId(8));

    clock.advance(61 * MINUTE); // cooldown over; lead is owned by Rep 8 now, so Rep 7 is told who has it
    await click(owner, id);
    await fake.waitFor(() => ephemeralsTo(owner).length === 2, 'second refusal');
    expect(ephemeralsTo(owner)[1]?.body.text).toContain('already claimed by Rep 8');
  });
});
