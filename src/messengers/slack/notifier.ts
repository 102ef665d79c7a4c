import type { webApi } from '@slack/bolt';
import type { Locale } from '../../domain/leads/lead.js';
import type { LeadPostStore, LeadReadModel, PostRef } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { DigestSlot, Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import { t } from '../../i18n/catalog.js';
import { errorFields, type Logger } from '../../infra/logger.js';
import { type DigestViewDeps, digestViewFor } from '../shared/digest-view.js';
import { type HomeDeps, homeFor } from '../shared/home.js';
import { directMessageButton, presentDirectMessage } from '../shared/presenters/direct-message.presenter.js';
import { presentDuplicateQuestion } from '../shared/presenters/duplicate-question.presenter.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { uploadCharts } from './charts.js';
import { SLACK } from './identity.js';
import { buildDuplicateQuestionBlocks } from './views/duplicate-question.blocks.js';
import { buildHomeView, buildViewMessage } from './views/home.blocks.js';
import { buildLeadCardBlocks } from './views/lead-card.blocks.js';
import { NO_UNFURL, textMessage, withButton } from './views/slack-text.js';

/** The metadata type of Leadpool's cards (payload: lead id and outbox key; nothing personal). */
const CARD_METADATA = 'leadpool_card';

export interface SlackNotifierDeps extends HomeDeps, DigestViewDeps {
  client: webApi.WebClient;
  log: Logger;
  teams: TeamDirectory;
  leads: LeadReadModel;
  posts: LeadPostStore;
}

/** Delivers outbox notifications to Slack: lead cards in team channels and DMs to members. */
export class SlackNotifier implements NotificationSink {
  readonly name = SLACK;

  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(notification: Notification, delivery: Delivery): Promise<void> {
    if (notification.kind === 'lead.card') await this.syncCard(notification.leadId, delivery);
    else if (notification.kind === 'duplicate.ask') await this.askAboutDuplicate(notification);
    else if (notification.kind === 'member.dm') await this.sendDirect(notification);
    // A later desk message for the same person is waiting: it will render the newer state.
    else if (notification.kind === 'member.desk' && !delivery.superseded) await this.publishHome(notification.memberId);
    else if (notification.kind === 'member.digest') await this.sendDigest(notification);
    else if (notification.kind === 'team.digest') await this.postTeamDigest(notification);
    // Anything else (a webhook delivery) is not for a messenger: it is never queued for one.
  }

  private async askAboutDuplicate(notification: Extract<Notification, { kind: 'duplicate.ask' }>): Promise<void> {
    const [owner, address, incoming, existing] = await Promise.all([
      this.deps.leads.member(notification.memberId),
      this.deps.leads.identityOf(notification.memberId, SLACK),
      this.deps.leads.lead(notification.leadId),
      this.deps.leads.lead(notification.existingLeadId),
    ]);
    const team = incoming && this.deps.teams.find(incoming.teamId);
    // Answered or timed out before delivery: the question is moot.
    if (!owner || !address || !incoming || !existing || !team || incoming.status !== 'awaiting_owner') return;
    const message = buildDuplicateQuestionBlocks(presentDuplicateQuestion(incoming, existing, owner, team));
    await this.deps.client.chat.postMessage({ channel: address.externalId, ...message, ...NO_UNFURL });
  }

  /**
   * Posts the card once, then edits it in place. Slack has no send de-duplication, so a card carries
   * its outbox key in its metadata: a retry that finds no recorded post (the process died between
   * Slack taking the card and Leadpool recording it) looks for it in the channel before posting.
   */
  private async syncCard(leadId: number, delivery: Delivery): Promise<void> {
    const data = await this.deps.leads.cardData(leadId);
    const team = data && this.deps.teams.find(data.lead.teamId);
    const channel = team?.destinations[SLACK];
    if (!data || !team || !channel) return;
    const message = buildLeadCardBlocks(presentLeadCard(data, team));
    const recorded = await this.deps.posts.find(leadId, SLACK);
    const post = recorded ?? (delivery.attempt > 1 ? await this.findPosted(channel, delivery.key) : null);
    if (post) {
      if (!recorded) await this.deps.posts.save(leadId, SLACK, post);
      await this.deps.client.chat.update({ channel: post.channelId, ts: post.messageId, ...message });
      return;
    }
    const metadata = { event_type: CARD_METADATA, event_payload: { lead: leadId, key: delivery.key } };
    const posted = await this.deps.client.chat.postMessage({ channel, ...message, ...NO_UNFURL, metadata });
    if (!posted.ts || !posted.channel) throw new Error('chat.postMessage returned no ts');
    await this.deps.posts.save(leadId, SLACK, { channelId: posted.channel, messageId: posted.ts });
  }

  /** The card an earlier attempt posted, found by its metadata among the channel's latest messages. */
  private async findPosted(channel: string, key: string): Promise<PostRef | null> {
    const history = await this.deps.client.conversations.history({ channel, limit: 200, include_all_metadata: true });
    const found = history.messages?.find(
      (m) =>
        m.metadata?.event_type === CARD_METADATA &&
        (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
    );
    return found?.ts ? { channelId: channel, messageId: found.ts } : null;
  }

  /** A manager's digest DM, unless the team's managers' channel on Slack gets it instead. */
  private async sendDigest(notification: Extract<Notification, { kind: 'member.digest' }>): Promise<void> {
    if (this.deps.teams.find(notification.teamId)?.digest?.channels[SLACK]) return;
    const [member, address] = await Promise.all([
      this.deps.leads.member(notification.memberId),
      this.deps.leads.identityOf(notification.memberId, SLACK),
    ]);
    if (member && address) await this.postDigest(address.externalId, notification, member.locale);
  }

  private async postTeamDigest(notification: Extract<Notification, { kind: 'team.digest' }>): Promise<void> {
    const team = this.deps.teams.find(notification.teamId);
    const channel = team?.digest?.channels[SLACK];
    if (team && channel) await this.postDigest(channel, notification, team.locale);
  }

  /**
   * A digest, its numbers read now, then its charts in its thread. A crash between Slack taking it
   * and the outbox marking it sent may repeat it. The charts only illustrate numbers the text
   * already has: a failed upload is logged and does not send the digest again.
   */
  private async postDigest(channel: string, slot: DigestSlot, locale: Locale): Promise<void> {
    const digest = await digestViewFor(this.deps, slot, locale);
    if (!digest) return;
    const message = buildViewMessage(digest.view);
    const posted = await this.deps.client.chat.postMessage({ channel, ...message, ...NO_UNFURL });
    if (!posted.channel || !posted.ts) return;
    const target = { channel: posted.channel, threadTs: posted.ts, comment: t(locale, 'chart.in_thread') };
    await uploadCharts(this.deps.client, target, digest.charts).catch((error: unknown) =>
      this.deps.log.warn('digest charts were not uploaded', { team: slot.teamId, ...errorFields(error) }),
    );
  }

  /** Re-renders the member's App Home from the current state of their desk. */
  private async publishHome(memberId: string): Promise<void> {
    const [member, address] = await Promise.all([
      this.deps.leads.member(memberId),
      this.deps.leads.identityOf(memberId, SLACK),
    ]);
    if (!member || !address) return;
    const view = buildHomeView(await homeFor(this.deps, address, member.locale));
    await this.deps.client.views.publish({ user_id: address.externalId, view });
  }

  private async sendDirect(notification: Extract<Notification, { kind: 'member.dm' }>): Promise<void> {
    const recipient = await this.deps.leads.member(notification.memberId);
    const address = await this.deps.leads.identityOf(notification.memberId, SLACK);
    const lead = await this.deps.leads.lead(notification.leadId);
    const team = lead && this.deps.teams.find(lead.teamId);
    if (!recipient || !address || !lead || !team) return;
    const text = presentDirectMessage(notification.topic, notification.params, lead, recipient, team);
    const action = directMessageButton(notification.topic, lead, recipient);
    const message = action ? withButton(textMessage(text), action) : textMessage(text);
    // Posting to a user id delivers to the app's DM with that user.
    await this.deps.client.chat.postMessage({ channel: address.externalId, ...message, ...NO_UNFURL });
  }
}
