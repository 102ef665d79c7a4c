/**
 * Rules as data: an admin changes a team's limits and pools in Slack; the change is checked as a
 * whole, kept as a new version with who made it, and followed by a second instance on the same
 * database without a restart. Bad changes and non-admins are refused and change nothing; a dry
 * run replays recent leads; a reload puts the edited teams file in force; a restart keeps it all.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { postLead, repId, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { claimClick, postSigned, signedForm, slashCommand } from '../support/slack-requests.js';
import { useSlackSuite } from '../support/slack-suite.js';

const ADMIN = 'UADMIN01';
const MANAGER_ZH_ADMIN = 'UADMIN02';
const withAdmin = (yaml: string) =>
  `${yaml}      - { name: Ada Admin, slack: ${ADMIN}, role: admin }\n      - { name: 王敏, slack: ${MANAGER_ZH_ADMIN}, role: admin, locale: zh-CN }\n`;
const teams = withAdmin(teamsYaml({ reps: 3, dailyQuota: 5 }));
const teamsPath = join(mkdtempSync(join(tmpdir(), 'leadpool-policy-')), 'teams.yaml');
const suite = useSlackSuite(teams, { teamsPath });
const others: Leadpool[] = [];
afterAll(async () => {
  for (const app of others) await app.stop();
});
let seq = 0;

async function command(app: Leadpool, userId: string, text: string): Promise<string> {
  const id = `pa${++seq}`;
  await postSigned(`${app.url}/slack/events`, signedForm(slashCommand(userId, text, suite.fake.responseUrl(id))));
  const path = `respond:/respond/${id}`;
  await suite.fake.waitFor(() => suite.fake.calls.some((c) => c.method === path), `reply to /lead ${text}`);
  return String(suite.fake.calls.find((c) => c.method === path)?.body.text);
}

async function claim(app: Leadpool, rep: number): Promise<string | null> {
  const { id } = (await (await postLead(app, { team: 'alpha', name: `Lead ${++seq}` })).json()) as { id: number };
  const answers = () =>
    suite.fake.calls.filter(
      (c) =>
        (c.method === 'chat.postEphemeral' && c.body.user === repId(rep)) ||
        (c.method === 'chat.postMessage' && c.body.channel === repId(rep)),
    ).length;
  const before = answers();
  await postSigned(
    `${app.url}/slack/events`,
    signedForm(claimClick(repId(rep), id, suite.fake.responseUrl(`c${seq}`))),
  );
  await suite.fake.waitFor(() => answers() > before, 'the claim DM or refusal');
  const lead = await app.db.prisma.lead.findUnique({ where: { id }, include: { owner: true } });
  return lead?.owner?.displayName ?? null;
}

const versions = () => suite.app.db.prisma.policyVersion.findMany({ orderBy: { version: 'asc' } });

describe('rules changed in chat', () => {
  it('are refused for a non-admin, and a bad change is refused with its path; nothing changes', async () => {
    expect(await command(suite.app, repId(0), 'admin set alpha claim.dailyQuota 1')).toContain('Only an admin');
    const bad = await command(suite.app, ADMIN, 'admin set alpha claim.dailyQuota -3');
    // The team by id, the setting as typed, in plain words and the asker's language: no `teams.0`,
    // no zod wording, no HTML entities.
    expect(bad).toBe('Refused, so the rules in force stay as they are: alpha claim.dailyQuota: must be at least 1');
    const zh = await command(suite.app, MANAGER_ZH_ADMIN, 'admin set alpha claim.dailyQuota -3');
    expect(zh).toBe('已拒绝，现行规则保持不变：alpha claim.dailyQuota: 不能小于 1');
    const badPool = await command(
      suite.app,
      ADMIN,
      'admin set alpha pools.+ {id: vip, mode: round_robin, members: [Nobody]}',
    );
    expect(badPool).toContain('"Nobody" is not a member of the team');
    expect(await command(suite.app, ADMIN, 'admin set alpha claim.dailyQuota [unclosed')).toContain(
      'The value after the path is not readable',
    );
    expect((await versions()).map((v) => v.version)).toEqual([1]);
  });

  it('puts a valid change in force on this instance at once and on another one without a restart', async () => {
    const second = await startTestLeadpool({ databaseUrl: suite.db.url, slackApiUrl: suite.fake.apiUrl, teams });
    others.push(second);
    const answer = await command(suite.app, ADMIN, 'admin set alpha claim.dailyQuota 1');
    expect(answer).toContain('Policy version 2 is in force');
    expect(answer).toContain('teams.alpha.claim.dailyQuota: 5 → 1');
    const [, kept] = await versions();
    expect(kept).toMatchObject({ version: 2, source: 'chat' });
    expect(kept?.summary).toContain('dailyQuota');

    // The second instance follows the newest version; its claims then obey quota 1.
    expect(await second.refreshPolicy()).toBe(2);
    expect(await claim(second, 1)).toBe('Rep 1');
    expect(await claim(second, 1)).toBeNull();
    const refusal = suite.fake
      .of('chat.postEphemeral')
      .filter((c) => c.body.user === repId(1))
      .at(-1);
    expect(String(refusal?.body.text)).toContain('1/1');

    expect(await command(second, ADMIN, 'admin rules')).toMatch(
      /Policy version 2 is in force[\s\S]*v2 .* Ada Admin: teams\.alpha\.claim\.dailyQuota/,
    );
  });

  it('replays recent leads through proposed pools without changing anything', async () => {
    const pools = '[{id: turns, mode: round_robin, members: [Rep 0, Rep 2]}]';
    const answer = await command(suite.app, ADMIN, `admin dryrun last 10 alpha pools ${pools}`);
    expect(answer).toContain('Dry run over the last 2 leads of Alpha Sales');
    expect(answer).toMatch(/Rep 0: 0 → 1/);
    expect(answer).toMatch(/Rep 2: 0 → 1/);
    expect(answer).toMatch(/Rep 1: 1 → 0/);
    expect((await versions()).map((v) => v.version)).toEqual([1, 2]);
  });

  it('reloads the edited teams file on request, and a restart with an older file keeps the newest version', async () => {
    writeFileSync(teamsPath, teams.replace('dailyQuota: 5', 'dailyQuota: 7'));
    const answer = await command(suite.app, ADMIN, 'admin reload');
    expect(answer).toContain('Policy version 3 is in force');
    expect(answer).toContain('teams.alpha.claim');
    const restarted = await startTestLeadpool({ databaseUrl: suite.db.url, slackApiUrl: suite.fake.apiUrl, teams });
    others.push(restarted);
    // This instance's file (quota 5) was applied before (version 1): version 3 stays in force.
    expect(await restarted.refreshPolicy()).toBe(3);
    expect((await versions()).map((v) => v.version)).toEqual([1, 2, 3]);
    expect(await command(restarted, ADMIN, 'admin rules')).toContain('Policy version 3 is in force');
  });
});
