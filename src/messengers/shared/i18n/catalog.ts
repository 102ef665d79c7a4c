import type { Locale } from '../../../domain/leads/lead.js';
import type { DirectMessageTopic } from '../../../domain/notifications/notification.js';
import type { ErrorCode } from '../../../domain/shared/errors.js';

/**
 * Every user-facing string, in English and Simplified Chinese. `{name}` placeholders are filled
 * from params; dates arrive as ISO strings in params whose name starts with "due" or "until" and
 * are shown in the reader's language and the team's time zone.
 */
const en = {
  // Errors shown to the person who acted
  'lead.not_found': 'Lead {lead} does not exist.',
  'lead.already_claimed': 'Too late: this lead was already claimed by {owner}.',
  'lead.already_yours': 'You already own this lead.',
  'lead.not_claimable': 'Lead {lead} cannot be claimed right now.',
  'member.not_in_team': 'You are not a member of team {team}, so you cannot claim its leads. Ask an admin to add you.',
  'member.inactive': 'You are paused in this team, so you cannot claim leads.',
  'claim.daily_quota': 'Daily claim quota reached: {used}/{quota} today. It resets at midnight team time.',
  'claim.holding_cap': 'Holding cap reached: you own {held}/{cap} open leads. Follow up or release one first.',
  'claim.cooldown': 'This lead was reclaimed from you; you may claim it again after {until}.',
  'follow_up.not_owner': 'Only the owner of {lead} can log follow-ups on it.',
  'follow_up.lead_not_owned': '{lead} is in the pool: claim it before logging a follow-up.',
  'team.unknown': 'Unknown team "{team}".',
  'error.unexpected': 'Sorry, something went wrong on our side. Please try again in a moment.',
  // Direct messages
  'dm.claim_won':
    'You claimed {ref}: {name}{company}.\nContact: {contact}\nFollow up by {due}. Log it with `/lead log {id} call <what happened>`.',
  'dm.sla_reminder':
    'Reminder: follow up on {ref} ({name}) by {due}, or it returns to the pool. Log it with `/lead log {id} call <what happened>`.',
  'dm.sla_reclaimed_owner':
    '{ref} ({name}) was returned to the pool: its follow-up deadline passed. You may claim it again after {until}.',
  'dm.sla_reclaimed_manager': '{ref} ({name}) was returned to the pool: {owner} missed its follow-up deadline.',
  // Lead card
  'card.title': 'New lead {ref}: {name}',
  'card.field.company': 'Company',
  'card.field.title': 'Title',
  'card.field.region': 'Region',
  'card.field.industry': 'Industry',
  'card.field.source': 'Source',
  'card.field.need': 'Need',
  'card.field.contact': 'Contact',
  'card.contact_masked': '{contact} (shown to the owner after claiming)',
  'card.none': '—',
  'card.claim_button': 'Claim',
  'card.status.pooled': 'Open: the first rep to click Claim owns it.',
  'card.status.owned': 'Claimed by {owner}. Follow-up due {due}.',
  'card.status.returned': 'Back in the pool: {owner} missed the follow-up deadline.',
  // Slash command replies
  'cmd.usage':
    '*Leadpool commands*\n• `/lead mine`: your open leads and their deadlines\n• `/lead log <lead> <method> <what happened>`: log a follow-up (methods: {methods})\n• `/lead help`: this help',
  'cmd.unknown': 'Unknown command "{word}".',
  'cmd.log.missing':
    'To log a follow-up, type `/lead log <lead> <method> <what happened>`, e.g. `/lead log 42 call Spoke to the CFO`.',
  'cmd.log.bad_lead': '"{text}" is not a lead number. Use the number on the card, e.g. 42 or L-42.',
  'cmd.log.bad_method': '"{text}" is not a follow-up method. Use one of: {methods}.',
  'cmd.log.note_too_long': 'The note is too long ({length} characters); keep it under {max}.',
  'cmd.log.done': 'Logged a {method} on {ref}. Next follow-up due {due}.',
  'cmd.mine.empty': 'You have no open leads. New ones appear in your team channel.',
  'cmd.mine.header': 'Your open leads ({count}):',
  'cmd.mine.line': '• {ref} {name}{company}: follow up by {due}',
} as const satisfies Record<ErrorCode | DirectMessageTopic, string> & Record<string, string>;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  'lead.not_found': '线索 {lead} 不存在。',
  'lead.already_claimed': '晚了一步：这条线索已被 {owner} 领取。',
  'lead.already_yours': '这条线索已经是你的了。',
  'lead.not_claimable': '线索 {lead} 当前无法领取。',
  'member.not_in_team': '你不是团队 {team} 的成员，无法领取其线索。请联系管理员添加。',
  'member.inactive': '你在该团队处于暂停状态，无法领取线索。',
  'claim.daily_quota': '今日领取额度已用完：今天 {used}/{quota}。团队时间零点重置。',
  'claim.holding_cap': '持有上限已满：你持有 {held}/{cap} 条未结线索。请先跟进或释放一条。',
  'claim.cooldown': '这条线索已从你名下回收；{until} 之后才能再次领取。',
  'follow_up.not_owner': '只有 {lead} 的负责人可以记录跟进。',
  'follow_up.lead_not_owned': '{lead} 在公海中：请先领取再记录跟进。',
  'team.unknown': '未知团队“{team}”。',
  'error.unexpected': '抱歉，系统出了点问题。请稍后再试。',
  'dm.claim_won':
    '你已领取 {ref}：{name}{company}。\n联系方式：{contact}\n请在 {due} 前跟进。用 `/lead log {id} call <跟进内容>` 记录。',
  'dm.sla_reminder':
    '提醒：请在 {due} 前跟进 {ref}（{name}），否则将退回公海。用 `/lead log {id} call <跟进内容>` 记录。',
  'dm.sla_reclaimed_owner': '{ref}（{name}）已退回公海：跟进期限已过。{until} 之后你才能再次领取。',
  'dm.sla_reclaimed_manager': '{ref}（{name}）已退回公海：{owner} 未在期限内跟进。',
  'card.title': '新线索 {ref}：{name}',
  'card.field.company': '公司',
  'card.field.title': '职位',
  'card.field.region': '地区',
  'card.field.industry': '行业',
  'card.field.source': '来源',
  'card.field.need': '需求',
  'card.field.contact': '联系方式',
  'card.contact_masked': '{contact}（领取后向负责人显示）',
  'card.none': '—',
  'card.claim_button': '领取',
  'card.status.pooled': '待领取：第一个点击“领取”的销售获得此线索。',
  'card.status.owned': '已被 {owner} 领取。跟进截止 {due}。',
  'card.status.returned': '已退回公海：{owner} 未在期限内跟进。',
  'cmd.usage':
    '*Leadpool 命令*\n• `/lead mine`：我的未结线索及截止时间\n• `/lead log <线索> <方式> <跟进内容>`：记录跟进（方式：{methods}）\n• `/lead help`：显示帮助',
  'cmd.unknown': '未知命令“{word}”。',
  'cmd.log.missing': '记录跟进请输入 `/lead log <线索> <方式> <跟进内容>`，例如 `/lead log 42 call 已与财务总监通话`。',
  'cmd.log.bad_lead': '“{text}”不是线索编号。请使用卡片上的编号，例如 42 或 L-42。',
  'cmd.log.bad_method': '“{text}”不是跟进方式。可用：{methods}。',
  'cmd.log.note_too_long': '跟进内容过长（{length} 个字符）；请少于 {max} 个字符。',
  'cmd.log.done': '已记录 {ref} 的一次 {method} 跟进。下次跟进截止 {due}。',
  'cmd.mine.empty': '你没有未结线索。新线索会出现在团队频道中。',
  'cmd.mine.header': '你的未结线索（{count} 条）：',
  'cmd.mine.line': '• {ref} {name}{company}：请在 {due} 前跟进',
};

export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

export type MessageParams = Record<string, string | number | Date>;

const DATE_PARAM = /^(due|until)/;

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

export function formatDateTime(at: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let formatter = dateFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    dateFormatters.set(key, formatter);
  }
  return formatter.format(at);
}

/** Renders a message in `locale`; dates are shown in `timeZone`. Unknown placeholders stay visible. */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}, timeZone = 'UTC'): string {
  const template = catalogs[locale][key] ?? catalogs.en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    if (value instanceof Date) return formatDateTime(value, locale, timeZone);
    if (typeof value === 'string' && DATE_PARAM.test(name) && !Number.isNaN(Date.parse(value))) {
      return formatDateTime(new Date(value), locale, timeZone);
    }
    return String(value);
  });
}
