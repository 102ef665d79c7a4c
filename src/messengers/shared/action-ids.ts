/** Shared by Slack `action_id` and Lark button `value.action`. */
export const ACTION_IDS = {
  claimLead: 'lead.claim',
} as const;

export const SLASH_COMMAND = '/lead';
