import { parseTeamsConfig } from '../../src/config/teams-config.js';

/**
 * Teams files shared by the two halves of one story: its rules on the in-memory store
 * (test/use-cases/) and what needs SQL on PostgreSQL (test/integration/), over the same people.
 */

/** Three teams for the stage machine: a webhook, a team's own close reason, an admin, a holding cap of 2. */
export const LIFECYCLE_TEAMS = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    intake: { defaultRegion: CN, currency: CNY }
    webhook: { url: "http://127.0.0.1:9/hook", secretEnv: HOOK_SECRET }
    members:
      - { name: Ana, slack: UANA }
      - { name: Bo, slack: UBO }
      - { name: Mei, slack: UMEI, role: manager }
  - id: bj
    name: Beijing
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 2h }
    closeReasons: [{ key: budget_frozen, as: lost, labels: [预算冻结] }]
    members:
      - { name: Xu, slack: UXU, role: admin }
      - { name: Yan, slack: UYAN }
  - id: cap
    name: Capped
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 2, cooldown: 1h }
    sla: { followUp: 1h, remindBefore: 10m }
    members:
      - { name: Cy, slack: UCY }
`,
  'lifecycle',
  '.',
  { HOOK_SECRET: 'a-secret-of-enough-length' },
);

/** Two teams for `/lead show`: a rep, a teammate, a Chinese-reading manager, a paused member, an admin elsewhere. */
export const SHOW_TEAMS = parseTeamsConfig(
  `teams:
  - id: sh
    name: Shanghai
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 2h }
    intake: { defaultRegion: CN }
    members:
      - { name: Ana, slack: UANA }
      - { name: Bo, slack: UBO }
      - { name: Mei, slack: UMEI, role: manager, locale: zh-CN }
      - { name: Paused, slack: UOFF, active: false }
  - id: bj
    name: Beijing
    timezone: Asia/Shanghai
    claim: { dailyQuota: 50, holdingCap: 50, cooldown: 1h }
    sla: { followUp: 1d, remindBefore: 2h }
    members:
      - { name: Xu, slack: UXU, role: admin }
`,
  'show',
);
