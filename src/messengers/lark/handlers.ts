import { errorFields, type Logger } from '../../infra/logger.js';
import { answerClickInTime } from './handlers/card-actions.js';
import { onBotMenu, onMessage } from './handlers/commands.js';
import type { LarkHandlerDeps } from './handlers/deps.js';

export { type CardAnswer, CLICK_DEADLINE_MS, withinDeadline } from './handlers/card-actions.js';
export { commandText } from './handlers/commands.js';
export type { LarkHandlerDeps } from './handlers/deps.js';

/**
 * Work started by an event that must outlive its answer: Lark wants the event answered within 3 s
 * and pushes it again otherwise, so a command runs after the answer (a repeat is harmless: writes
 * carry the event's id, replies a send uuid). Stopping waits for it.
 */
export class LarkBackground {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly log: Logger) {}

  start(what: string, work: () => Promise<void>): void {
    const run = work().catch((error: unknown) => this.log.error(`Lark ${what} failed`, errorFields(error)));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}

/**
 * The handlers the SDK's dispatcher calls; both transports register the same ones. A click is
 * answered with its result (within Lark's 3 s); a message or menu event is answered at once and
 * its command runs after.
 */
export function larkEventHandlers(deps: LarkHandlerDeps, background = new LarkBackground(deps.log)) {
  return {
    'card.action.trigger': (data: unknown) => answerClickInTime(deps, data),
    'im.message.receive_v1': async (data: unknown) => background.start('command', () => onMessage(deps, data)),
    'application.bot.menu_v6': async (data: unknown) => background.start('menu', () => onBotMenu(deps, data)),
  };
}

/** Subscribed event types: the manifest lists exactly these (checked by a test). */
export const LARK_EVENT_TYPES = ['im.message.receive_v1', 'application.bot.menu_v6'] as const;
export const LARK_CALLBACK_TYPES = ['card.action.trigger'] as const;
