import { z } from 'zod';

/**
 * What the domain asks to be told, written to the outbox in the same transaction as the change.
 * Rendering and delivery happen later, per messenger, so a crash never loses or half-sends one.
 * Each topic has a message of the same key in the catalog (checked by the type system there).
 */
/**
 * The keys a repeat of a person can be recognised by (intake's de-duplication keys); `phone_alt`
 * is a phone key met only as another region reads the same digits.
 */
export const MATCH_KEY_KINDS = ['external', 'email', 'phone', 'phone_alt', 'name_company', 'name_core'] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

export const DIRECT_MESSAGE_TOPICS = [
  'dm.claim_won',
  'dm.sla_reminder',
  'dm.sla_reclaimed_owner',
  'dm.sla_reclaimed_manager',
  'dm.duplicate_pooled',
  'dm.assigned',
  'dm.pool_assigned',
  'dm.hot_lead',
  'dm.priority_high',
  'dm.reassigned_away',
  'dm.released_by',
  'dm.closed_by',
  'dm.sla_overdue_owner',
  'dm.sla_overdue_manager',
  'dm.extension_requested',
  'dm.extension_approved',
  'dm.extension_denied',
  'dm.convert_warning',
  'dm.convert_reclaimed_owner',
  'dm.convert_reclaimed_manager',
] as const;
export type DirectMessageTopic = (typeof DIRECT_MESSAGE_TOPICS)[number];

export type NotificationParams = Record<string, string | number>;

export type Notification =
  | { kind: 'lead.card'; leadId: number }
  /** The summary card of a burst of new leads in a team's channel: one line and Claim button per lead. */
  | { kind: 'lead.burst'; teamId: string; burstId: number }
  | { kind: 'member.dm'; memberId: string; leadId: number; topic: DirectMessageTopic; params: NotificationParams }
  /** Asks the owner of `existingLeadId` whether the new lead `leadId` is theirs, with answer buttons. */
  | { kind: 'duplicate.ask'; memberId: string; leadId: number; existingLeadId: number; on?: MatchKeyKind }
  /** The team's conversion webhook gets the converted lead, its deal and customer. */
  | { kind: 'conversion.webhook'; leadId: number }
  /** A member's desk changed (a lead came, went or moved): a messenger showing it keeps it current. */
  | { kind: 'member.desk'; memberId: string }
  /** A team's daily or weekly digest, to one of its managers; its numbers are read when it is sent. */
  | ({ kind: 'member.digest'; memberId: string } & DigestSlot)
  /** The same digest, once, in the team's managers' channel on a messenger that has one. */
  | ({ kind: 'team.digest' } & DigestSlot);

/** Which digest: a team's daily or weekly one for one period, and whether it is late. */
export interface DigestSlot {
  teamId: string;
  digest: 'daily' | 'weekly';
  periodKey: string;
  late: boolean;
}

/**
 * What a notification is about: one messenger's messages about one subject are delivered in order
 * (a lead's card before the next edit of it). A subject is a lead, a member or a team, so a kind
 * not about one lead (a team's digest) names its own. A DM's subject is the lead and its reader:
 * one person's DMs about a lead come in order, and none waits for the lead's card edit (a claim's
 * DM went out only after its card, one burst's DMs a second behind their cards).
 */
export function notificationSubject(notification: Notification): string {
  switch (notification.kind) {
    case 'member.dm':
      return `lead:${notification.leadId}:member:${notification.memberId}`;
    case 'lead.card':
    case 'duplicate.ask':
    case 'conversion.webhook':
      return `lead:${notification.leadId}`;
    case 'member.desk':
    case 'member.digest':
      return `member:${notification.memberId}`;
    case 'team.digest':
      return `team:${notification.teamId}`;
    case 'lead.burst':
      return `burst:${notification.burstId}`;
  }
}

const leadId = z.number().int().positive();
const memberId = z.string().min(1);
const digestSlot = {
  teamId: z.string().min(1).max(64),
  digest: z.enum(['daily', 'weekly']),
  periodKey: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  late: z.boolean(),
};

/** A notification read back from the outbox: rows written by an older or newer build are checked, not trusted. */
export const notificationSchema: z.ZodType<Notification> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('lead.card'), leadId }),
  z.strictObject({ kind: z.literal('lead.burst'), teamId: digestSlot.teamId, burstId: z.number().int().positive() }),
  z.strictObject({
    kind: z.literal('member.dm'),
    memberId,
    leadId,
    topic: z.enum(DIRECT_MESSAGE_TOPICS),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  z.strictObject({
    kind: z.literal('duplicate.ask'),
    memberId,
    leadId,
    existingLeadId: leadId,
    on: z.enum(MATCH_KEY_KINDS).optional(),
  }),
  z.strictObject({ kind: z.literal('conversion.webhook'), leadId }),
  z.strictObject({ kind: z.literal('member.desk'), memberId }),
  z.strictObject({ kind: z.literal('member.digest'), memberId, ...digestSlot }),
  z.strictObject({ kind: z.literal('team.digest'), ...digestSlot }),
]);

/**
 * How long a kind waits before it may be delivered. A desk view re-renders everything, so its
 * refreshes wait a moment: changes in that window pile up and the newest one alone is shown
 * (at most one home publish per person every couple of seconds, however busy they are).
 */
export const DELIVERY_DELAY_MS: Partial<Record<Notification['kind'], number>> = { 'member.desk': 2_000 };

/** "These people's desks changed", once per person. */
export function desksChanged(...memberIds: (string | null | undefined)[]): Notification[] {
  return [...new Set(memberIds.filter((id): id is string => Boolean(id)))].map((memberId) => ({
    kind: 'member.desk',
    memberId,
  }));
}
