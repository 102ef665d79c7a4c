import type { LeadExplanation } from '../../../domain/distribution/explain-lead.js';
import type { Pool } from '../../../domain/distribution/pools.js';
import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import { type MessageKey, t } from '../../../i18n/catalog.js';
import { presentError } from './error.presenter.js';

/** `/lead why <lead>`: its pool (and, for managers, the pool's rule), how its owner got it, and whether you may claim it. */
export function presentExplanation(why: LeadExplanation, locale: Locale, zone: string): string {
  const { lead } = why;
  const lines = [t(locale, 'why.title', { ref: formatLeadRef(lead.id), name: lead.name })];
  if (why.pool) lines.push(poolLine(why.pool, why.showRule, locale));
  lines.push(t(locale, ...howItGotHere(why, locale), zone));
  if (why.claim)
    lines.push(
      why.claim.allowed
        ? t(locale, 'why.you_may')
        : t(locale, 'why.you_may_not', { reason: presentError(why.claim.refusal, locale, zone).text }),
    );
  return lines.join('\n');
}

function poolLine(pool: Pool, showRule: boolean, locale: Locale): string {
  const mode = t(locale, `pool_mode.${pool.mode}`);
  if (!showRule) return t(locale, 'why.pool', { pool: pool.name, mode });
  const rule = Object.entries(pool.match)
    .map(([field, values]) => `${field}: ${(values ?? []).join(', ')}`)
    .join('; ');
  return t(locale, 'why.pool_rule', { pool: pool.name, mode, rule: rule || t(locale, 'why.rule_rest') });
}

function howItGotHere(why: LeadExplanation, locale: Locale): [MessageKey, Record<string, string | Date>] {
  const move = why.lastMove;
  const owner = why.ownerName ?? '?';
  const due = move?.at ?? why.lead.createdAt;
  switch (why.lead.status) {
    case 'owned':
      if (move?.action === 'claimed') return ['why.claimed', { owner, due }];
      if (move?.action === 'assigned' && move.reason.startsWith('pool:'))
        return [
          'why.assigned_pool',
          { owner, due, turn: t(locale, `pool.their_turn.${modeOf(move.reason)}` as MessageKey) },
        ];
      if (move?.action === 'assigned') return ['why.assigned_by', { owner, by: move.by || '?', due }];
      return ['why.owned', { owner }];
    case 'pooled':
      if (move?.action === 'reclaimed') return ['why.reclaimed', { due }];
      if (move?.action === 'released') return ['why.released', { by: move.by || '?', due }];
      return ['why.pooled', {}];
    case 'awaiting_owner':
      return ['why.awaiting', {}];
    case 'merged':
      return ['why.merged', {}];
    case 'closed':
      return ['why.closed', {}];
  }
}

/** The pool's mode in an assignment's audit reason (`pool:east round_robin`, `pool:vip score_tier top`). */
function modeOf(reason: string): string {
  const mode = reason.split(' ')[1] ?? '';
  return ['round_robin', 'weighted', 'least_loaded', 'score_tier', 'ranking', 'claim'].includes(mode)
    ? mode
    : 'round_robin';
}
