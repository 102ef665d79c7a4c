import { answerClickInTime } from './handlers/card-actions.js';
import { onBotMenu, onMessage } from './handlers/commands.js';
import type { LarkHandlerDeps } from './handlers/deps.js';

export { type CardAnswer, CLICK_DEADLINE_MS, withinDeadline } from './handlers/card-actions.js';
export { commandText } from './handlers/commands.js';
export type { LarkHandlerDeps } from './handlers/deps.js';

/** The handlers the SDK's dispatcher calls; both transports register the same ones. */
export function larkEventHandlers(deps: LarkHandlerDeps) {
  return {
    'card.action.trigger': (data: unknown) => answerClickInTime(deps, data),
    'im.message.receive_v1': (data: unknown) => onMessage(deps, data),
    'application.bot.menu_v6': (data: unknown) => onBotMenu(deps, data),
  };
}

/** Subscribed event types: the manifest lists exactly these (checked by a test). */
export const LARK_EVENT_TYPES = ['im.message.receive_v1', 'application.bot.menu_v6'] as const;
export const LARK_CALLBACK_TYPES = ['card.action.trigger'] as const;
