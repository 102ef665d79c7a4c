/**
 * What the domain asks to be told, written to the outbox in the same transaction as the change.
 * Rendering and delivery happen later, per messenger, so a crash never loses or half-sends one.
 * Each topic has a message of the same key in the catalog (checked by the type system there).
 */
export type DirectMessageTopic =
  | 'dm.claim_won'
  | 'dm.sla_reminder'
  | 'dm.sla_reclaimed_owner'
  | 'dm.sla_reclaimed_manager'
  | 'dm.duplicate_pooled';

export type NotificationParams = Record<string, string | number>;

export type Notification =
  | { kind: 'lead.card'; leadId: number }
  | { kind: 'member.dm'; memberId: string; leadId: number; topic: DirectMessageTopic; params: NotificationParams }
  /** Asks the owner of `existingLeadId` whether the new lead `leadId` is theirs, with answer buttons. */
  | { kind: 'duplicate.ask'; memberId: string; leadId: number; existingLeadId: number };
