import type { webApi } from '@slack/bolt';
import type { LeadPostStore, LeadReadModel } from '../../domain/leads/lead-read-model.js';
import type { TeamDirectory } from '../../domain/leads/lead-store.js';
import type { Notification } from '../../domain/notifications/notification.js';
import type { NotificationSink } from '../../domain/notifications/notification-sink.js';
import { presentDirectMessage } from '../shared/presenters/direct-message.presenter.js';
import { presentDuplicateQuestion } from '../shared/presenters/duplicate-question.presenter.js';
import { presentLeadCard } from '../shared/presenters/lead-card.presenter.js';
import { SLACK } from './identity.js';
import { buildDuplicateQuestionBlocks } from './views/duplicate-question.blocks.js';
import { buildLeadCardBlocks } from './views/lead-card.blocks.js';
import { NO_UNFURL, textMessage } from './views/slack-text.js';

export interface SlackNotifierDeps {
  client: webApi.WebClient;
  teams: TeamDirectory;
  leads: LeadReadModel;
  posts: LeadPostStore;
}

/** Delivers outbox notifications to Slack: lead cards in team channels and DMs to members. */
export class SlackNotifier implements NotificationSink {
  readonly name = SLACK;

  constructor(private readonly deps: SlackNotifierDeps) {}

  async deliver(notification: Notification): Promise<void> {
    if (notification.kind === 'lead.card') await this.syncCard(notification.leadId);
    else if (notification.kind === 'duplicate.ask') await this.askAboutDuplicate(notification);
    else await this.sendDirect(notification);
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

  /** Posts the card once, then edits it in place: a re-run after a crash updates instead of re-posting. */
  private async syncCard(leadId: number): Promise<void> {
    const data = await this.deps.leads.cardData(leadId);
    const team = data && this.deps.teams.find(data.lead.teamId);
    const channel = team?.destinations[SLACK];
    if (!data || !team || !channel) return;
    const message = buildLeadCardBlocks(presentLeadCard(data, team));
    const post = await this.deps.posts.find(leadId, SLACK);
    if (post) {
      await this.deps.client.chat.update({ channel: post.channelId, ts: post.messageId, ...message });
      return;
    }
    const posted = await this.deps.client.chat.postMessage({ channel, ...message, ...NO_UNFURL });
    if (!posted.ts || !posted.channel) throw new Error('chat.postMessage returned no ts');
    await this.deps.posts.save(leadId, SLACK, { channelId: posted.channel, messageId: posted.ts });
  }

  private async sendDirect(notification: Extract<Notification, { kind: 'member.dm' }>): Promise<void> {
    const recipient = await this.deps.leads.member(notification.memberId);
    const address = await this.deps.leads.identityOf(notification.memberId, SLACK);
    const lead = await this.deps.leads.lead(notification.leadId);
    const team = lead && this.deps.teams.find(lead.teamId);
    if (!recipient || !address || !lead || !team) return;
    const text = presentDirectMessage(notification.topic, notification.params, lead, recipient, team);
    // Posting to a user id delivers to the app's DM with that user.
    await this.deps.client.chat.postMessage({ channel: address.externalId, ...textMessage(text), ...NO_UNFURL });
  }
}
