import { z } from 'zod';
import type { ClaimLatch } from '../../../domain/claims/claim-latch.js';
import type { IntakeStore } from '../../../domain/intake/intake-store.js';
import type { SourceCatalog } from '../../../domain/intake/sources.js';
import type { LeadReadModel } from '../../../domain/leads/lead-read-model.js';
import type { LeadStore, TeamDirectory } from '../../../domain/leads/lead-store.js';
import type { Clock } from '../../../domain/shared/clock.js';
import type { Logger } from '../../../infra/logger.js';
import type { MemberDirectory } from '../../shared/member-directory.js';
import type { LarkApi } from '../lark-api.js';

export interface LarkHandlerDeps {
  store: LeadStore & IntakeStore;
  sources: SourceCatalog;
  teams: TeamDirectory;
  clock: Clock;
  directory: MemberDirectory;
  claims?: ClaimLatch;
  leads: LeadReadModel;
  api: LarkApi;
  appId: string;
  log: Logger;
}

// Ids Lark sends are short tokens; anything else is forged or broken and is not acted on.
export const larkId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
export const eventId = z.string().min(1).max(128);
