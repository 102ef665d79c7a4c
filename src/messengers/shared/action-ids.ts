/** Shared by Slack `action_id` and Lark button `value.action`. */
export const ACTION_IDS = {
  claimLead: 'lead.claim',
  duplicateMine: 'lead.duplicate.mine',
  duplicateNotDuplicate: 'lead.duplicate.not_duplicate',
  duplicateRelease: 'lead.duplicate.release',
} as const;

/** Slack callback ids of views and shortcuts. */
export const VIEW_IDS = {
  newLeadModal: 'lead.new.modal',
  newLeadShortcut: 'lead.new',
} as const;

export const SLASH_COMMAND = '/lead';
