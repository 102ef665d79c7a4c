import type { Notification } from '../../domain/notifications/notification.js';
import type { Delivery, NotificationSink } from '../../domain/notifications/notification-sink.js';
import type { Clock } from '../../domain/shared/clock.js';
import type { LeadPostStore } from '../../infra/outbox/lead-posts.js';
import { burstPages } from '../shared/burst-pages.js';
import { type NoticeDeps, resolveNotice } from '../shared/notices.js';
import { WEB } from './identity.js';
import type { PlaygroundInbox } from './inbox.js';
import { WEB_BURST_PAGE } from './lead-cards.js';

export interface WebNotifierDeps extends NoticeDeps {
  clock: Clock;
  posts: LeadPostStore;
  inbox: PlaygroundInbox;
}

/** The playground keeps a desk per person, drawn when the page asks. */
const WEB_MEDIUM = { messenger: WEB, hasDesk: true };

/**
 * Delivers outbox notifications to the playground. A lead's card is recorded once in its team's
 * channel (the team's own id) and drawn as the lead is whenever a page reads the channel, so an
 * update is an event, not an edit; DMs go to the person's inbox under the outbox key (a repeat is
 * kept once). Each team has a channel here, whatever the teams file says of Slack and Lark.
 */
export class WebNotifier implements NotificationSink {
  readonly name = WEB;

  constructor(private readonly deps: WebNotifierDeps) {}

  async deliver(notification: Notification, delivery: Delivery): Promise<void> {
    if (notification.kind === 'lead.card') return this.syncCard(notification.leadId);
    if (notification.kind === 'lead.burst') return this.postBurst(notification);
    const notice = await resolveNotice(this.deps, notification, WEB_MEDIUM, delivery);
    // A team's digest goes to a managers' channel, which the playground does not have.
    if (notice?.to.kind !== 'person') return;
    const person = notice.to.id;
    if (notice.message.kind === 'desk') return this.deps.inbox.emit({ type: 'desk', person });
    const at = this.deps.clock.now().toISOString();
    this.deps.inbox.add(person, { id: delivery.key, at, message: notice.message });
  }

  private async syncCard(leadId: number): Promise<void> {
    const lead = await this.deps.leads.lead(leadId);
    if (!lead) return;
    const post = await this.deps.posts.find(leadId, WEB);
    // Its burst's summary has not gone out yet: the lead shows as a line of it then.
    if (!post && lead.cardBurstId) return;
    if (post) return this.deps.inbox.emit({ type: 'channel', team: lead.teamId, lead: leadId });
    const ref = { channelId: lead.teamId, messageId: `lead-${leadId}`, postedAt: this.deps.clock.now() };
    await this.deps.posts.save([leadId], WEB, ref);
    this.deps.inbox.emit({ type: 'channel', team: lead.teamId });
  }

  private async postBurst({ teamId, burstId }: Extract<Notification, { kind: 'lead.burst' }>): Promise<void> {
    const postedAt = this.deps.clock.now();
    for (const page of burstPages(await this.deps.posts.sealBurst(burstId), WEB_BURST_PAGE)) {
      const first = page.ids[0] as number;
      // A page of one lead is that lead's own card.
      const ref =
        page.ids.length === 1
          ? { channelId: teamId, messageId: `lead-${first}`, postedAt }
          : { channelId: teamId, messageId: `burst-${burstId}-${page.part}`, postedAt, burstId };
      if ((await this.deps.posts.find(first, WEB))?.messageId !== ref.messageId)
        await this.deps.posts.save(page.ids, WEB, ref);
    }
    this.deps.inbox.emit({ type: 'channel', team: teamId });
  }
}
