import type { Locale } from '../domain/leads/lead.js';
import type { DirectMessageTopic } from '../domain/notifications/notification.js';
import type { ErrorCode } from '../domain/shared/errors.js';

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
  'member.not_in_team':
    'You are not a member of team {team}, so you cannot work on its leads. Ask an admin to add you.',
  'member.inactive': 'You are paused in this team, so you cannot claim or add leads.',
  'claim.daily_quota': 'Daily claim quota reached: {used}/{quota} today. It resets at midnight team time.',
  'claim.holding_cap': 'Holding cap reached: you own {held}/{cap} open leads. Follow up or release one first.',
  'claim.cooldown': 'This lead was reclaimed from you; you may claim it again after {until}.',
  'follow_up.not_owner': 'Only the owner of {lead} can log follow-ups on it.',
  'follow_up.lead_not_owned': '{lead} is in the pool: claim it before logging a follow-up.',
  'follow_up.next_unreadable':
    'Cannot read "{text}" as a time. Write it like "next: tomorrow 10am", "next: fri 15:00", "next: in 3d" or "next: 2026-12-01 14:00".',
  'follow_up.next_past': '"{text}" has already passed: give a next contact time ahead.',
  'follow_up.next_too_far': '"{text}" is more than a year ahead: give a nearer next contact time.',
  'team.unknown': 'Unknown team "{team}".',
  'error.unexpected': 'Sorry, something went wrong on our side. Please try again in a moment.',
  'duplicate.not_owner': 'Only the owner of {existing} can answer about this possible duplicate.',
  'duplicate.already_resolved': 'This possible duplicate was already handled.',
  'intake.resubmitted': 'This form was already submitted with other values. Open a new form to add another lead.',
  'request.repeated': 'Already done: this request was handled before.',
  'dm.duplicate_pooled':
    'You did not answer about {ref} ({name}), a possible duplicate of your {existing}: it went to the pool with a note.',
  // Intake field problems (API answers, CSV error reports, modal errors)
  'field.required': 'is required',
  'field.one_of_required': 'give at least one of: {fields}',
  'field.unknown_field': 'is not a lead field',
  'field.wrong_type': 'must be a {expected}',
  'field.too_long': 'must be at most {max} characters',
  'field.too_many': 'at most {max} items',
  'field.invalid': 'is not valid',
  'field.not_a_number': 'must be a number',
  'field.email_invalid': 'not a valid e-mail address',
  'field.phone_invalid': 'not a valid phone number',
  'field.phone_needs_country': 'add the country code (e.g. +86): this team has no default phone region',
  'field.source_unknown': 'unknown source; known sources: {known}',
  'field.team_unknown': 'unknown team; known teams: {known}',
  'field.budget_range': 'the minimum budget is above the maximum',
  'field.currency_invalid': 'must be a three-letter currency code such as CNY or USD',
  'field.company_size_invalid': 'use an employee count or one of: {bands}',
  'field.choice_invalid': 'must be one of: {choices}',
  'field.bad_characters': 'contains control characters or broken Unicode (such as a NUL byte)',
  'field.reserved_key': 'this name is reserved; choose another',
  // Built-in lead sources
  'source.event': 'Event',
  'source.website': 'Website / trial',
  'source.private_traffic': 'Private traffic',
  'source.social_media': 'Social media',
  'source.search_ads': 'Search ads',
  'source.purchased_data': 'Purchased data',
  'source.seo': 'SEO',
  'source.referral': 'Referral',
  'source.partner_exchange': 'Partner exchange',
  'source.crawled': 'Crawled',
  'decision_role.decision_maker': 'Decision maker',
  'decision_role.influencer': 'Influencer',
  'decision_role.user': 'User',
  'priority.high': 'high',
  'priority.medium': 'medium',
  'priority.low': 'low',
  'grade.good': 'good',
  'grade.medium': 'medium',
  'grade.poor': 'poor',
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
  'card.field.company_size': 'Company size',
  'card.field.budget': 'Budget',
  'card.field.decision': 'Decision',
  'card.field.score': 'Score',
  'card.score': '{score} points · {priority} priority · {grade} profile',
  'card.score_why': 'Why: {reasons}',
  'card.related': 'Same company: {leads}',
  'card.possible_duplicate': 'Possible duplicate of {ref}: its owner did not answer in time.',
  'card.related_owned': '{ref} (owned by {owner})',
  'card.related_pooled': '{ref} (in the pool)',
  // Duplicate handshake (DM to the owner of the existing lead)
  'dup.ask':
    'A new lead looks like your {existing} ({existingName}): {ref} {name}{company}{contact}. Is it yours? If you do not answer by {due}, it goes to the pool.',
  'dup.mine': 'Mine',
  'dup.not_duplicate': 'Not a duplicate',
  'dup.release': 'Release to pool',
  'dup.title': 'Possible duplicate of your lead',
  'toast.claimed': 'Claimed {ref}. Its contact details are in your DM.',
  'toast.stale_button': 'This button is out of date: use the latest card.',
  'toast.form_problems': 'Please fix: {problems}',
  'toast.working': 'Working on it: you will see the result shortly.',
  'dup.answered.mine': 'Kept: {ref} is attached to your {existing}.',
  'dup.answered.not_duplicate': '{ref} is a different lead: it went to the pool.',
  'dup.answered.release': 'Released: {existing} is back in the pool, with {ref} attached.',
  // New-lead modal
  'modal.title': 'New lead',
  'modal.submit': 'Add lead',
  'modal.close': 'Cancel',
  'modal.team': 'Team',
  'modal.name': 'Name',
  'modal.company': 'Company',
  'modal.job_title': 'Job title',
  'modal.email': 'E-mail',
  'modal.phone': 'Phone',
  'modal.region': 'Region',
  'modal.need': 'Need',
  'modal.source': 'Source',
  'modal.notes': 'Notes',
  'modal.no_team': 'You are not in any team, so you cannot add leads. Ask an admin to add you.',
  'modal.malformed': 'This form arrived incomplete or damaged. Close it and open a new one with /lead new.',
  'modal.result.created':
    'Added {ref} to {team}: {score} points, {priority} priority. Its card is in the team channel.',
  'modal.result.merged': '{ref} looks like {existing}, which is in the pool: it was attached to it.',
  'modal.result.awaiting_owner':
    '{ref} looks like {existing}, which {owner} owns: they were asked whether it is theirs.',
  'modal.result.duplicate': 'This lead is already in Leadpool as {existing}: nothing was added.',
  'card.contact_masked': '{contact} (shown to the owner after claiming)',
  'card.none': '—',
  'card.claim_button': 'Claim',
  'card.status.pooled': 'Open: the first rep to click Claim owns it.',
  'card.status.owned': 'Claimed by {owner}. Follow-up due {due}.',
  'card.status.returned': 'Back in the pool: {owner} missed the follow-up deadline.',
  // Slash command replies
  'cmd.usage':
    'Leadpool commands:\n• `/lead new`: add a lead (a form opens)\n• `/lead mine [overdue|today]`: your open leads and their deadlines\n• `/lead log <lead> <method> <what happened> [next: <when>]`: log a follow-up (methods: {methods}; when: tomorrow 10am, fri 15:00, in 3d)\n• `/lead help`: this help',
  'cmd.unknown': 'Unknown command "{word}".',
  'cmd.bad_characters': 'The command contains control characters or broken Unicode; type it again as plain text.',
  'cmd.log.missing':
    'To log a follow-up, type `/lead log <lead> <method> <what happened>`, e.g. `/lead log 42 call Spoke to the CFO`.',
  'cmd.log.bad_lead': '"{text}" is not a lead number. Use the number on the card, e.g. 42 or L-42.',
  'cmd.log.bad_method': '"{text}" is not a follow-up method. Use one of: {methods}.',
  'cmd.log.note_too_long': 'The note is too long ({length} characters); keep it under {max}.',
  'cmd.log.done': 'Logged a follow-up ({method}) on {ref}. Next follow-up due {due}.',
  'cmd.log.done_next_later':
    "Logged a follow-up ({method}) on {ref}. You plan the next contact for {dueNext}, but the team's follow-up time ends sooner: next follow-up due {due}.",
  'cmd.mine.empty': 'You have no open leads. New ones appear in your team channel.',
  'cmd.mine.empty_overdue': 'Nothing overdue. Well done.',
  'cmd.mine.empty_today': 'Nothing else is due today.',
  'cmd.mine.header': 'Your open leads ({count}):',
  'cmd.mine.header_overdue': 'Your overdue leads ({count}): follow up now, or they return to the pool.',
  'cmd.mine.header_today': 'Due later today ({count}):',
  'cmd.mine.bad_filter': '"{text}" is not a filter: use `mine`, `mine overdue` or `mine today`.',
  'cmd.mine.line': '• {ref} {name}{company}: follow up by {due}',
} as const satisfies Record<ErrorCode | DirectMessageTopic, string> & Record<string, string>;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  'lead.not_found': '线索 {lead} 不存在。',
  'lead.already_claimed': '晚了一步：这条线索已被 {owner} 领取。',
  'lead.already_yours': '这条线索已经是你的了。',
  'lead.not_claimable': '线索 {lead} 当前无法领取。',
  'member.not_in_team': '你不是团队 {team} 的成员，无法处理其线索。请联系管理员添加。',
  'member.inactive': '你在该团队处于暂停状态，无法领取或添加线索。',
  'claim.daily_quota': '今日领取额度已用完：今天 {used}/{quota}。团队时间零点重置。',
  'claim.holding_cap': '持有上限已满：你持有 {held}/{cap} 条未结线索。请先跟进或释放一条。',
  'claim.cooldown': '这条线索已从你名下回收；{until} 之后才能再次领取。',
  'follow_up.not_owner': '只有 {lead} 的负责人可以记录跟进。',
  'follow_up.lead_not_owned': '{lead} 在公海中：请先领取再记录跟进。',
  'follow_up.next_unreadable':
    '无法识别时间“{text}”。请这样写：“下次: 明天上午10点”“下次: 周五下午3点”“下次: 3天后”或“下次: 2026-12-01 14:00”。',
  'follow_up.next_past': '“{text}”已经过去了：请填写之后的下次联系时间。',
  'follow_up.next_too_far': '“{text}”在一年以后：请填写更近的下次联系时间。',
  'team.unknown': '未知团队“{team}”。',
  'error.unexpected': '抱歉，系统出了点问题。请稍后再试。',
  'duplicate.not_owner': '只有 {existing} 的负责人可以处理这条疑似重复线索。',
  'duplicate.already_resolved': '这条疑似重复线索已处理过。',
  'intake.resubmitted': '该表单已用其他内容提交过。如需添加另一条线索，请打开新表单。',
  'request.repeated': '已完成：这个操作之前已经处理过。',
  'dm.duplicate_pooled': '你没有回复 {ref}（{name}）是否与你的 {existing} 重复：它已带备注进入公海。',
  'field.required': '必填',
  'field.one_of_required': '至少填写其中之一：{fields}',
  'field.unknown_field': '不是线索字段',
  'field.wrong_type': '类型应为 {expected}',
  'field.too_long': '最多 {max} 个字符',
  'field.too_many': '最多 {max} 项',
  'field.invalid': '无效',
  'field.not_a_number': '必须是数字',
  'field.email_invalid': '不是有效的邮箱地址',
  'field.phone_invalid': '不是有效的电话号码',
  'field.phone_needs_country': '请加上国家区号（如 +86）：该团队未设置默认电话地区',
  'field.source_unknown': '未知来源；可用来源：{known}',
  'field.team_unknown': '未知团队；可用团队：{known}',
  'field.budget_range': '最低预算高于最高预算',
  'field.currency_invalid': '须为三位货币代码，如 CNY 或 USD',
  'field.company_size_invalid': '请填写员工人数或以下之一：{bands}',
  'field.choice_invalid': '须为以下之一：{choices}',
  'field.bad_characters': '含有控制字符或无效的 Unicode（例如 NUL 字节）',
  'field.reserved_key': '该名称为保留字，请换一个',
  'source.event': '活动',
  'source.website': '官网/试用',
  'source.private_traffic': '私域流量',
  'source.social_media': '社交媒体',
  'source.search_ads': '搜索广告',
  'source.purchased_data': '购买数据',
  'source.seo': '搜索引擎优化',
  'source.referral': '转介绍',
  'source.partner_exchange': '合作伙伴互换',
  'source.crawled': '网络爬取',
  'decision_role.decision_maker': '决策人',
  'decision_role.influencer': '影响者',
  'decision_role.user': '使用者',
  'priority.high': '高',
  'priority.medium': '中',
  'priority.low': '低',
  'grade.good': '完整',
  'grade.medium': '一般',
  'grade.poor': '欠缺',
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
  'card.field.company_size': '公司规模',
  'card.field.budget': '预算',
  'card.field.decision': '决策',
  'card.field.score': '评分',
  'card.score': '{score} 分 · 优先级{priority} · 资料{grade}',
  'card.score_why': '依据：{reasons}',
  'card.related': '同公司线索：{leads}',
  'card.possible_duplicate': '疑似与 {ref} 重复：其负责人未在期限内回复。',
  'card.related_owned': '{ref}（{owner} 负责）',
  'card.related_pooled': '{ref}（在公海）',
  'dup.ask':
    '有一条新线索疑似与你的 {existing}（{existingName}）重复：{ref} {name}{company}{contact}。是你的客户吗？如在 {due} 前未回复，它将进入公海。',
  'dup.mine': '是我的',
  'dup.not_duplicate': '不是重复',
  'dup.release': '释放到公海',
  'dup.title': '疑似与你的线索重复',
  'toast.claimed': '已领取 {ref}，联系方式已私信发给你。',
  'toast.stale_button': '这个按钮已过期，请使用最新的卡片。',
  'toast.form_problems': '请修改：{problems}',
  'toast.working': '正在处理，稍后会看到结果。',
  'dup.answered.mine': '已保留：{ref} 已归入你的 {existing}。',
  'dup.answered.not_duplicate': '{ref} 是另一条线索：已进入公海。',
  'dup.answered.release': '已释放：{existing} 已退回公海，{ref} 随之归入。',
  'modal.title': '新线索',
  'modal.submit': '添加线索',
  'modal.close': '取消',
  'modal.team': '团队',
  'modal.name': '姓名',
  'modal.company': '公司',
  'modal.job_title': '职位',
  'modal.email': '邮箱',
  'modal.phone': '电话',
  'modal.region': '地区',
  'modal.need': '需求',
  'modal.source': '来源',
  'modal.notes': '备注',
  'modal.no_team': '你不在任何团队中，无法添加线索。请联系管理员添加。',
  'modal.malformed': '表单内容不完整或已损坏。请关闭后用 /lead new 重新打开。',
  'modal.result.created': '已将 {ref} 添加到 {team}：{score} 分，优先级{priority}。卡片已发到团队频道。',
  'modal.result.merged': '{ref} 疑似与公海中的 {existing} 重复：已归入该线索。',
  'modal.result.awaiting_owner': '{ref} 疑似与 {owner} 负责的 {existing} 重复：已询问其负责人。',
  'modal.result.duplicate': '这条线索已在系统中（{existing}）：未重复添加。',
  'card.contact_masked': '{contact}（领取后向负责人显示）',
  'card.none': '—',
  'card.claim_button': '领取',
  'card.status.pooled': '待领取：第一个点击“领取”的销售获得此线索。',
  'card.status.owned': '已被 {owner} 领取。跟进截止 {due}。',
  'card.status.returned': '已退回公海：{owner} 未在期限内跟进。',
  'cmd.usage':
    'Leadpool 命令：\n• `/lead new`：添加线索（打开表单）\n• `/lead mine [逾期|今天]`：我的未结线索及截止时间\n• `/lead log <线索> <方式> <跟进内容> [下次: <时间>]`：记录跟进（方式：{methods}；时间如 明天上午10点、周五、3天后）\n• `/lead help`：显示帮助',
  'cmd.unknown': '未知命令“{word}”。',
  'cmd.bad_characters': '命令中含有控制字符或无效的 Unicode，请以纯文本重新输入。',
  'cmd.log.missing': '记录跟进请输入 `/lead log <线索> <方式> <跟进内容>`，例如 `/lead log 42 call 已与财务总监通话`。',
  'cmd.log.bad_lead': '“{text}”不是线索编号。请使用卡片上的编号，例如 42 或 L-42。',
  'cmd.log.bad_method': '“{text}”不是跟进方式。可用：{methods}。',
  'cmd.log.note_too_long': '跟进内容过长（{length} 个字符）；请少于 {max} 个字符。',
  'cmd.log.done': '已记录 {ref} 的一次 {method} 跟进。下次跟进截止 {due}。',
  'cmd.log.done_next_later':
    '已记录 {ref} 的一次 {method} 跟进。你计划 {dueNext} 再联系，但团队跟进时限更早：下次跟进截止 {due}。',
  'cmd.mine.empty': '你没有未结线索。新线索会出现在团队频道中。',
  'cmd.mine.empty_overdue': '没有逾期的线索，很好。',
  'cmd.mine.empty_today': '今天没有其他待跟进的线索。',
  'cmd.mine.header': '你的未结线索（{count} 条）：',
  'cmd.mine.header_overdue': '你的逾期线索（{count} 条）：请尽快跟进，否则将退回公海。',
  'cmd.mine.header_today': '今天稍后到期（{count} 条）：',
  'cmd.mine.bad_filter': '“{text}”不是筛选条件：请使用 `我的`、`我的 逾期` 或 `我的 今天`。',
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
