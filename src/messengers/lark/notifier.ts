import type { Locale } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { DigestSlot, Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadPostStore, PostRef } from '../../infra/outbox/lead-posts.js';
import { burstPages } from '../shared/burst-pages.js';
import { type DigestViewDeps, digestViewFor } from '../shared/digest-view.js';
import { burstCardFor, cardFor } from '../shared/lead-card-showing.js';
import { directMessageButtons, presentDirectMessage } from '../shared/presenters/direct-message.presenter.js';
import { presentDuplicateQuestion } from '../shared/presenters/duplicate-question.presenter.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { LARK } from './identity.js';
import type { LarkApi, Receiver } from './lark-api.js';
import { LARK_CARDS } from './lead-cards.js';
import { LARK_BURST_PAGE } from './views/burst-card.card.js';
import { buildDigestCard } from './views/chart.card.js';
import { buildDuplicateQuestionCard } from './views/duplicate-question.card.js';
import { button, card, textBlock, textCard } from './views/lark-card.js';
import { LARK_LIMITS } from './views/lark-limits.js';
import { buildLeadCard } from './views/lead-card.card.js';

/** Lark edits cards for 14 days after sending; an hour's margin keeps a late edit from failing. */
export const EDITABLE_FOR_MS = LARK_LIMITS.editableForMs - 3_600_000;

export interface LarkNotifierDeps extends DigestViewDeps {
  api: LarkApi;
  clock: Clock;
  teams: TeamDirectory;
  leads: LeadReadModel;
  posts: LeadPostStore;
}

/**
 * Delivers outbox notifications to Lark: lead cards in team chats (posted once, then edited in
 * place) and DMs to members by open_id. The outbox row's key is the send `uuid`, so a retry after
 * a crash between sending and recording is de-duplicated by Lark.
 */
export class LarkNotifier implements NotificationSink {
  readonly name = LARK;

  constructor(private readonly deps: LarkNotifierDeps) {}

  async deliver(notification: Notification, { key }: Delivery): Promise<void> {
    if (notification.kind === 'lead.card') await this.syncCard(notification.leadId, key);
    else if (notification.kind === 'lead.burst') await this.postBurst(notification, key);
    else if (notification.kind === 'duplicate.ask') await this.askAboutDuplicate(notification, key);
    else if (notification.kind === 'member.dm') await this.sendDirect(notification, key);
    else if (notification.kind === 'member.digest') await this.sendDigest(notification, key);
    else if (notification.kind === 'team.digest') await this.postTeamDigest(notification, key);
    // Anything else (a webhook delivery) is not for a messenger: it is never queued for one.
  }

  private async syncCard(leadId: number, key: string, fromItsBurst = false): Promise<void> {
    const data = await this.deps.leads.cardData(leadId);
    const team = data && this.deps.teams.find(data.lead.teamId);
    const chat = team?.destinations[LARK];
    if (!data || !team || !chat) return;
    const post = await this.deps.posts.find(leadId, LARK);
    // Its burst's summary has not gone out yet: it will show the lead as it is then.
    if (!post && data.lead.cardBurstId && !fromItsBurst) return;
    const now = this.deps.clock.now();
    if (post && this.editable(post)) {
      const card = await cardFor(this.deps, LARK_CARDS, data, team, post);
      if (card) await this.deps.api.update(post.messageId, card);
      return;
    }
    // First post, or the card (or summary) is too old to edit: a card of its own takes its place from now on.
    const sent = await this.deps.api.send(
      { type: 'chat_id', id: chat },
      buildLeadCard(presentLeadCard(data, team)),
      key,
    );
    await this.deps.posts.save([leadId], LARK, { channelId: sent.chatId, messageId: sent.messageId, postedAt: now });
  }

  private editable(post: PostRef): boolean {
    const now = this.deps.clock.now().getTime();
    return now - (post.postedAt?.getTime() ?? now) < EDITABLE_FOR_MS;
  }

  /**
   * A burst's summary, a card per page of leads, each sent under its own key (Lark drops a repeat)
   * and recorded for all its leads at once; a lead claimed meanwhile is shown so by an edit after.
   */
  private async postBurst({ teamId, burstId }: Extract<Notification, { kind: 'lead.burst' }>, key: string) {
    const team = this.deps.teams.find(teamId);
    const chat = team?.destinations[LARK];
    if (!team || !chat) return;
    for (const page of burstPages(await this.deps.posts.sealBurst(burstId), LARK_BURST_PAGE)) {
      const first = page.ids[0] as number;
      // A page of one lead is that lead's own card, posted and edited as any other.
      if (page.ids.length === 1) {
        await this.syncCard(first, `${key}-${page.part}`, true);
        continue;
      }
      if ((await this.deps.posts.find(first, LARK))?.burstId === burstId) continue;
      const card = await burstCardFor(this.deps, LARK_CARDS, team, page);
      if (!card) continue;
      const sent = await this.deps.api.send({ type: 'chat_id', id: chat }, card, `${key}-${page.part}`);
      const postedAt = this.deps.clock.now();
      await this.deps.posts.save(page.ids, LARK, {
        channelId: sent.chatId,
        messageId: sent.messageId,
        postedAt,
        burstId,
      });
      const now = await burstCardFor(this.deps, LARK_CARDS, team, page);
      if (now && JSON.stringify(now) !== JSON.stringify(card)) await this.deps.api.update(sent.messageId, now);
    }
  }

  private async askAboutDuplicate(notification: Extract<Notification, { kind: 'duplicate.ask' }>, key: string) {
    const [owner, address, incoming, existing] = await Promise.all([
      this.deps.leads.member(notification.memberId),
      this.deps.leads.identityOf(notification.memberId, LARK),
      this.deps.leads.lead(notification.leadId),
      this.deps.leads.lead(notification.existingLeadId),
    ]);
    const team = incoming && this.deps.teams.find(incoming.teamId);
    if (!owner || !address || !incoming || !existing || !team || incoming.status !== 'awaiting_owner') return;
    const card = buildDuplicateQuestionCard(presentDuplicateQuestion(incoming, existing, owner, team, notification.on));
    await this.deps.api.send({ type: 'open_id', id: address.externalId }, card, key);
  }

  /** A digest card in the manager's chat with the bot, unless the team's managers' chat on Lark gets it. */
  private async sendDigest(notification: Extract<Notification, { kind: 'member.digest' }>, key: string) {
    if (this.deps.teams.find(notification.teamId)?.digest?.channels[LARK]) return;
    const [member, address] = await Promise.all([
      this.deps.leads.member(notification.memberId),
      this.deps.leads.identityOf(notification.memberId, LARK),
    ]);
    if (member && address)
      await this.postDigest({ type: 'open_id', id: address.externalId }, notification, member.locale, key);
  }

  private async postTeamDigest(notification: Extract<Notification, { kind: 'team.digest' }>, key: string) {
    const team = this.deps.teams.find(notification.teamId);
    const chat = team?.digest?.channels[LARK];
    if (team && chat) await this.postDigest({ type: 'chat_id', id: chat }, notification, team.locale, key);
  }

  /** The digest card, charts included; the outbox key de-duplicates a repeat. */
  private async postDigest(to: Receiver, slot: DigestSlot, locale: Locale, key: string) {
    const digest = await digestViewFor(this.deps, slot, locale);
    if (digest) await this.deps.api.send(to, buildDigestCard(digest.view, digest.charts), key);
  }

  private async sendDirect(notification: Extract<Notification, { kind: 'member.dm' }>, key: string) {
    const [recipient, address, lead] = await Promise.all([
      this.deps.leads.member(notification.memberId),
      this.deps.leads.identityOf(notification.memberId, LARK),
      this.deps.leads.lead(notification.leadId),
    ]);
    const team = lead && this.deps.teams.find(lead.teamId);
    if (!recipient || !address || !lead || !team) return;
    const text = presentDirectMessage(notification.topic, notification.params, lead, recipient, team);
    const buttons = directMessageButtons(notification.topic, lead, recipient, team).map((b) =>
      button(b.label, { action: b.actionId, lead: b.value }),
    );
    const message = buttons.length > 0 ? card([textBlock(text), ...buttons]) : textCard(text);
    await this.deps.api.send({ type: 'open_id', id: address.externalId }, message, key);
  }
}
