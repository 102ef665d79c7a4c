import { z } from 'zod';
import type { LeadPostStore } from '../../../infra/outbox/lead-posts.js';
import type { MessengerDeps } from '../../shared/messenger-deps.js';
import type { LarkApi } from '../lark-api.js';

export interface LarkHandlerDeps extends MessengerDeps {
  api: LarkApi;
  appId: string;
  /** Where cards are, so a click answer redraws the card (or summary page) it came from. */
  posts: LeadPostStore;
}

// Ids Lark sends are short tokens; anything else is forged or broken and is not acted on.
export const larkId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
export const eventId = z.string().min(1).max(128);
