import type { NoticeMessage } from '../shared/notices.js';

/** A message in a person's DMs on the playground, as the page draws it. */
export interface WebMessage {
  /** The outbox message's key: a repeated delivery is the same message, kept once. */
  id: string;
  at: string;
  message: Exclude<NoticeMessage, { kind: 'desk' }>;
}

/** What changed, for the pages to read again: ids only, never the data itself. */
export type PlaygroundEvent =
  /** With `lead`, only that lead's message changed; without, the channel has new messages. */
  { type: 'channel'; team: string; lead?: number } | { type: 'dm'; person: string } | { type: 'desk'; person: string };

/** How many messages each person's DMs keep: the oldest go first. */
export const INBOX_KEEPS = 200;

/**
 * Each person's DMs, and the change events the pages follow. Held in this process: the playground
 * is one process, and its DMs are a view of the outbox's deliveries (a restart starts them empty).
 */
export class PlaygroundInbox {
  private readonly byPerson = new Map<string, WebMessage[]>();
  private readonly listeners = new Set<(event: PlaygroundEvent) => void>();

  add(person: string, message: WebMessage): void {
    const messages = this.byPerson.get(person) ?? [];
    if (messages.some((m) => m.id === message.id)) return;
    messages.push(message);
    if (messages.length > INBOX_KEEPS) messages.splice(0, messages.length - INBOX_KEEPS);
    this.byPerson.set(person, messages);
    this.emit({ type: 'dm', person });
  }

  /** The person's DMs, oldest first. */
  of(person: string): readonly WebMessage[] {
    return this.byPerson.get(person) ?? [];
  }

  emit(event: PlaygroundEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Calls `listener` on every change until the returned function is called. */
  subscribe(listener: (event: PlaygroundEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
