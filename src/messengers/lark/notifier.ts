import type { TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadPostStore, PostRef } from '../../infra/outbox/lead-posts.js';
import { burstPages } from '../shared/burst-pages.js';
import { burstCardFor, cardFor } from '../shared/lead-card-showing.js';
import { type NoticeDeps, type NoticeMessage, type Recipient, resolveNotice } from '../shared/notices.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { LARK } from './identity.js';
import type { LarkApi, Receiver } from './lark-api.js';
import { LARK_CARDS } from './lead-cards.js';
import { LARK_BURST_PAGE } from './views/burst-card.card.js';
import { buildDigestCard } from './views/chart.card.js';
import { buildDuplicateQuestionCard } from './views/duplicate-question.card.js';
import { buildHomeCard } from './views/home.card.js';
import { button, card, type LarkCard, textBlock, textCard } from './views/lark-card.js';
import { LARK_LIMITS } from './views/lark-limits.js';
import { buildLeadCard } from './views/lead-card.card.js';

/** Lark edits cards for 14 days after sending; an hour's margin keeps a late edit from failing. */
export const EDITABLE_FOR_MS = LARK_LIMITS.editableForMs - 3_600_000;

export interface LarkNotifierDeps extends NoticeDeps {
  /** The API of a Lark app by its id ('' for the first app): each tenant's people and chats are its app's. */
  apiFor(appId: string): LarkApi;
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

  async deliver(notification: Notification, delivery: Delivery): Promise<void> {
    if (notification.kind === 'lead.card') return this.syncCard(notification.leadId, delivery.key);
    if (notification.kind === 'lead.burst') return this.postBurst(notification, delivery.key);
    const notice = await resolveNotice(this.deps, notification, LARK_MEDIUM, delivery);
    if (notice)
      await this.deps.apiFor(notice.to.tenant).send(receiverOf(notice.to), drawNotice(notice.message), delivery.key);
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
    const api = this.apiOf(team);
    if (post && this.editable(post)) {
      const card = await cardFor(this.deps, LARK_CARDS, data, team, post);
      if (card) await api.update(post.messageId, card);
      return;
    }
    // First post, or the card (or summary) is too old to edit: a card of its own takes its place from now on.
    const sent = await api.send({ type: 'chat_id', id: chat }, buildLeadCard(presentLeadCard(data, team)), key);
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
    const api = this.apiOf(team);
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
      const sent = await api.send({ type: 'chat_id', id: chat }, card, `${key}-${page.part}`);
      const postedAt = this.deps.clock.now();
      await this.deps.posts.save(page.ids, LARK, {
        channelId: sent.chatId,
        messageId: sent.messageId,
        postedAt,
        burstId,
      });
      const now = await burstCardFor(this.deps, LARK_CARDS, team, page);
      if (now && JSON.stringify(now) !== JSON.stringify(card)) await api.update(sent.messageId, now);
    }
  }

  /** The app a team's chat is in: the one its file names, or the first. */
  private apiOf(team: TeamPolicy): LarkApi {
    return this.deps.apiFor(team.tenants?.[LARK] ?? '');
  }
}

/** Lark has no desk of its own: a person asks for theirs (`/lead mine`, the bot menu). */
const LARK_MEDIUM = { messenger: LARK, hasDesk: false };

const receiverOf = (to: Recipient): Receiver =>
  to.kind === 'person' ? { type: 'open_id', id: to.id } : { type: 'chat_id', id: to.id };

/** A notice as a card; the outbox key is the send's uuid, so Lark drops a repeat. */
function drawNotice(message: NoticeMessage): LarkCard {
  switch (message.kind) {
    case 'text': {
      const buttons = message.buttons.map((b) => button(b.label, { action: b.actionId, lead: b.value }));
      return buttons.length > 0 ? card([textBlock(message.text), ...buttons]) : textCard(message.text);
    }
    case 'duplicate_question':
      return buildDuplicateQuestionCard(message.view);
    case 'digest':
      return buildDigestCard(message.digest.view, message.digest.charts);
    case 'desk':
      return buildHomeCard(message.view);
  }
}
