import { webApi } from '@slack/bolt';
import type { Locale, TeamPolicy } from '../../domain/leads/lead.js';
import type { LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import { t } from '../../i18n/catalog.js';
import { errorFields, type Logger } from '../../infra/logger.js';
import { DestinationPacer } from '../../infra/outbox/destination-pacer.js';
import type { LeadPostStore, PostRef } from '../../infra/outbox/lead-posts.js';
import type { PaceBook } from '../../infra/pacing/pace-book.js';
import { type BurstPage, burstPages } from '../shared/burst-pages.js';
import type { DigestView } from '../shared/digest-view.js';
import { burstCardFor, cardFor } from '../shared/lead-card-showing.js';
import { type Notice, type NoticeDeps, resolveNotice } from '../shared/notices.js';
import { uploadCharts } from './charts.js';
import { SLACK } from './identity.js';
import { SLACK_CARDS } from './lead-cards.js';
import { SLACK_BURST_PAGE } from './views/burst-card.blocks.js';
import { buildDuplicateQuestionBlocks } from './views/duplicate-question.blocks.js';
import { buildHomeView, buildViewMessage } from './views/home.blocks.js';
import { NO_UNFURL, type SlackMessage, textMessage, withButtons } from './views/slack-text.js';
import { isTokenGone, type SlackClients } from './workspaces.js';

type Client = webApi.WebClient;

/** The workspace a team's channel and people are in ('' when the file names none). */
const workspaceOf = (team: TeamPolicy) => team.tenants?.[SLACK] ?? '';

/** The metadata types of Leadpool's posts (payload: the outbox key, and a card's lead id; nothing personal). */
const CARD_METADATA = 'leadpool_card';
const MESSAGE_METADATA = 'leadpool_message';
/** A page of a burst's summary card (payload: the outbox key and the page's lead ids). */
const BURST_METADATA = 'leadpool_burst';
/** How far apart our clock and Slack's may be when we look for a post since a message was queued. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** At most this many pages of 200 are read looking for one post (a burst of 4,000 since it was queued). */
const MAX_HISTORY_PAGES = 20;

export interface SlackNotifierDeps extends NoticeDeps {
  /** Each workspace's client (one for all with a single bot token). */
  clients: SlackClients;
  log: Logger;
  /** The least time between two posts to one channel (Slack allows about one per second). */
  postGapMs?: number;
  /** Where the posts' pace is kept: in the database, shared by all instances. */
  paceBook?: PaceBook;
  /** How long a channel whose call timed out is held back (its messages wait; other channels go on). */
  holdAfterTimeoutMs?: number;
  teams: TeamDirectory;
  leads: LeadReadModel;
  posts: LeadPostStore;
}

/** The medium notices are resolved for: Slack keeps a desk, the App Home. */
const SLACK_MEDIUM = { messenger: SLACK, hasDesk: true };

/** Delivers outbox notifications to Slack: lead cards in team channels and DMs to members. */
export class SlackNotifier implements NotificationSink {
  readonly name = SLACK;

  private readonly pacer: DestinationPacer;

  constructor(private readonly deps: SlackNotifierDeps) {
    this.pacer = new DestinationPacer({
      gapMs: deps.postGapMs ?? 1_000,
      // About four turns of one channel wait in the lane: at a fast pace, a burst's sends sleeping
      // for their turns would otherwise fill it and keep other channels' cards out.
      maxWaitMs: Math.min(2_000, Math.max(500, 4 * (deps.postGapMs ?? 1_000))),
      holdAfterFailureMs: deps.holdAfterTimeoutMs ?? 30_000,
      retryAfterOf: (error) => {
        const e = error as { code?: string; retryAfter?: number };
        return e.code === webApi.ErrorCode.RateLimitedError ? (e.retryAfter ?? 1) * 1000 : null;
      },
      isUnanswered: (error) => (error as { code?: string }).code === webApi.ErrorCode.RequestError,
      ...(deps.paceBook ? { book: deps.paceBook } : {}),
      keyPrefix: 'slack:',
    });
  }

  async deliver(notification: Notification, delivery: Delivery): Promise<void> {
    try {
      await this.deliverNow(notification, delivery);
    } catch (error) {
      // Uninstalled, as another instance may have heard first: the next attempt reads the installations again.
      if (isTokenGone(error)) this.deps.clients.forget();
      throw error;
    }
  }

  private async deliverNow(notification: Notification, delivery: Delivery): Promise<void> {
    if (notification.kind === 'lead.card') return this.syncCard(notification.leadId, delivery);
    if (notification.kind === 'lead.burst') return this.postBurst(notification, delivery);
    const notice = await resolveNotice(this.deps, notification, SLACK_MEDIUM, delivery);
    if (notice) await this.send(await this.deps.clients.for(notice.to.tenant), notice, delivery);
  }

  /** A notice drawn as Slack shows it; posting to a user id delivers to the app's DM with them. */
  private async send(client: Client, { to, message }: Notice, delivery: Delivery): Promise<void> {
    switch (message.kind) {
      case 'text':
        await this.postOnce(client, to.id, withButtons(textMessage(message.text), message.buttons), delivery);
        return;
      case 'duplicate_question':
        await this.postOnce(client, to.id, buildDuplicateQuestionBlocks(message.view), delivery);
        return;
      case 'digest':
        return this.postDigest(client, to.id, message, delivery);
      case 'desk':
        await client.views.publish({ user_id: to.id, view: buildHomeView(message.view) });
        return;
    }
  }

  /** Posts the card once (see `postOnce`), then edits it in place. */
  private async syncCard(leadId: number, delivery: Delivery, fromItsBurst = false): Promise<void> {
    const data = await this.deps.leads.cardData(leadId);
    const team = data && this.deps.teams.find(data.lead.teamId);
    const channel = team?.destinations[SLACK];
    if (!data || !team || !channel) return;
    const recorded = await this.deps.posts.find(leadId, SLACK);
    const message = await cardFor(this.deps, SLACK_CARDS, data, team, recorded, fromItsBurst);
    if (!message) return;
    const client = await this.deps.clients.for(workspaceOf(team));
    if (recorded) return void (await this.editPost(client, recorded, message));
    const about = { event_type: CARD_METADATA, lead: leadId };
    const post = await this.postOnce(client, channel, message, delivery, about);
    await this.deps.posts.save([leadId], SLACK, post.ref);
    // Found from an earlier attempt: it shows the lead as it was then.
    if (post.found) await this.editPost(client, post.ref, message);
  }

  /**
   * A burst's summary, a message per page of leads. Each page is posted once (its own key, found
   * again after a crash like any post) and recorded for all its leads at once, so a retry goes on
   * from the first page not recorded. A lead claimed while its page was on the way is shown so by
   * an edit straight after.
   */
  private async postBurst(
    { teamId, burstId }: Extract<Notification, { kind: 'lead.burst' }>,
    delivery: Delivery,
  ): Promise<void> {
    const team = this.deps.teams.find(teamId);
    const channel = team?.destinations[SLACK];
    if (!team || !channel) return;
    const client = await this.deps.clients.for(workspaceOf(team));
    for (const page of burstPages(await this.deps.posts.sealBurst(burstId), SLACK_BURST_PAGE)) {
      const first = page.ids[0] as number;
      const key = `${delivery.key}-${page.part}`;
      // A page of one lead is that lead's own card, posted and edited as any other.
      if (page.ids.length === 1) {
        await this.syncCard(first, { ...delivery, key }, true);
        continue;
      }
      if ((await this.deps.posts.find(first, SLACK))?.burstId === burstId) continue;
      const message = await this.burstMessage(team, page);
      if (!message) continue;
      const about = { event_type: BURST_METADATA, leads: page.ids.join(',') };
      const post = await this.postOnce(client, channel, message, { ...delivery, key }, about);
      await this.deps.posts.save(page.ids, SLACK, { ...post.ref, burstId });
      const now = await this.burstMessage(team, page);
      if (now && (post.found || JSON.stringify(now) !== JSON.stringify(message)))
        await this.editPost(client, post.ref, now);
    }
  }

  private burstMessage(team: TeamPolicy, page: BurstPage): Promise<SlackMessage | null> {
    return burstCardFor(this.deps, SLACK_CARDS, team, page);
  }

  private editPost(client: Client, post: PostRef, message: SlackMessage): Promise<unknown> {
    return this.pacer.send(
      post.channelId,
      () => client.chat.update({ channel: post.channelId, ts: post.messageId, ...message }),
      false,
    );
  }

  /**
   * Posts a message once. Slack has no send de-duplication, so every post carries its outbox key
   * in its metadata; a later attempt (the earlier one may have reached Slack just before a crash
   * or a timeout) first looks for that key in the channel's messages since the message was queued,
   * page by page, and posts only when it is not there.
   */
  private async postOnce(
    client: Client,
    to: string,
    message: SlackMessage,
    delivery: Delivery,
    about: { event_type: string; lead?: number; leads?: string } = { event_type: MESSAGE_METADATA },
  ): Promise<{ ref: PostRef; found: boolean }> {
    if (delivery.attempt > 1) {
      const found = await this.findPosted(
        client,
        await this.historyChannel(client, to),
        delivery.key,
        delivery.queuedAt,
      );
      if (found) return { ref: found, found: true };
    }
    const { event_type, ...payload } = about;
    const metadata = { event_type, event_payload: { ...payload, key: delivery.key } };
    const posted = await this.pacer.send(to, () =>
      client.chat.postMessage({ ...message, channel: to, ...NO_UNFURL, metadata }),
    );
    if (!posted.ts || !posted.channel) throw new Error('chat.postMessage returned no ts');
    return { ref: { channelId: posted.channel, messageId: posted.ts }, found: false };
  }

  /** Where a post to `to` shows up: a channel is itself; a person's DM with the app has its own id. */
  private async historyChannel(client: Client, to: string): Promise<string> {
    if (!/^[UW]/.test(to)) return to;
    const opened = await client.conversations.open({ users: to });
    if (!opened.channel?.id) throw new Error('conversations.open returned no channel');
    return opened.channel.id;
  }

  /** The message an earlier attempt posted, found by its key among the channel's messages since `since`. */
  private async findPosted(client: Client, channel: string, key: string, since: Date): Promise<PostRef | null> {
    const oldest = ((since.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const history = await client.conversations.history({
        channel,
        oldest,
        limit: 200,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const found = history.messages?.find(
        (m) => (m.metadata?.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      if (found?.ts) return { channelId: channel, messageId: found.ts };
      cursor = history.response_metadata?.next_cursor;
      if (!history.has_more || !cursor) return null;
    }
    return null;
  }

  /**
   * A digest, its numbers read now, then its charts in its thread. The charts only illustrate
   * numbers the text already has: a failed upload is logged and does not send the digest again,
   * and a digest an earlier attempt already posted is not charted twice.
   */
  private async postDigest(
    client: Client,
    to: string,
    { digest, locale, teamId }: { digest: DigestView; locale: Locale; teamId: string },
    delivery: Delivery,
  ): Promise<void> {
    // A person's digest goes to their DM with the app, opened first: the upload that follows needs
    // that conversation's own id (D…), which a user id (U…) is not.
    const channel = await this.historyChannel(client, to);
    const post = await this.postOnce(client, channel, buildViewMessage(digest.view), delivery);
    if (post.found) return;
    const threadTs = post.ref.messageId;
    const target = { channel, threadTs, comment: t(locale, 'chart.in_thread') };
    await uploadCharts(client, target, digest.charts).catch((error: unknown) =>
      this.deps.log.warn('digest charts were not uploaded', { team: teamId, ...errorFields(error) }),
    );
  }
}
