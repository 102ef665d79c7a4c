/**
 * The one error type of the domain. `code` picks the user-facing message from the catalog;
 * `params` fill it in. Log messages never include params that may carry personal data.
 */
export type ErrorCode =
  | 'lead.not_found'
  | 'policy.invalid'
  | 'policy.changed_meanwhile'
  | 'policy.not_editable'
  | 'lead.already_claimed'
  | 'lead.not_claimable'
  | 'lead.not_visible'
  | 'lead.not_owned'
  | 'lead.closed'
  | 'lead.not_closed'
  | 'lead.merged'
  | 'lead.moved'
  | 'stage.unchanged'
  | 'stage.back_needs_reason'
  | 'convert.bad_deal'
  | 'report.period_unreadable'
  | 'report.period_reversed'
  | 'report.period_too_long'
  | 'report.not_your_team'
  | 'find.too_short'
  | 'find.no_match'
  | 'find.ambiguous'
  | 'release.needs_reason'
  | 'close.unknown_reason'
  | 'assign.not_member'
  | 'assign.ambiguous'
  | 'assign.already_owner'
  | 'access.managers_only'
  | 'access.admins_only'
  | 'access.not_owner'
  | 'member.not_in_team'
  | 'member.inactive'
  | 'member.paused'
  | 'claim.not_in_pool'
  | 'claim.first_look'
  | 'claim.assigned_by_pool'
  | 'claim.team_daily'
  | 'claim.pool_daily'
  | 'pool.unknown'
  | 'pool.already'
  | 'member.paused_open'
  | 'pause.not_allowed'
  | 'pause.until_unreadable'
  | 'pause.until_past'
  | 'pause.until_too_far'
  | 'claim.daily_quota'
  | 'claim.holding_cap'
  | 'claim.cooldown'
  | 'follow_up.next_unreadable'
  | 'follow_up.next_past'
  | 'follow_up.next_too_far'
  | 'team.unknown'
  | 'duplicate.not_owner'
  | 'duplicate.already_resolved'
  | 'intake.resubmitted'
  | 'request.repeated'
  | 'extension.needs_reason'
  | 'extension.not_offered'
  | 'extension.pending'
  | 'extension.no_manager'
  | 'extension.none_pending'
  | 'extension.moot'
  | 'extension.over_max';

export type ErrorParams = Record<string, string | number | Date>;

/** One of several problems an error lists, each shown in the reader's language (`policy.invalid`). */
export interface ErrorDetail {
  where: string;
  /** A catalog `field.<code>` message, when the problem has one. */
  code?: string;
  params?: Record<string, string | number>;
  /** The problem in the checker's own words, when it has no code. */
  text: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, params: ErrorParams = {}, details: readonly ErrorDetail[] = []) {
    super(code);
    this.name = 'DomainError';
    this.code = code;
    this.params = params;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
