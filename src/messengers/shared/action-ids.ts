import { z } from 'zod';
import { parseLeadId } from '../../domain/leads/lead.js';

/** Shared by Slack `action_id` and Lark button `value.action`. */
export const ACTION_IDS = {
  claimLead: 'lead.claim',
  duplicateMine: 'lead.duplicate.mine',
  duplicateNotDuplicate: 'lead.duplicate.not_duplicate',
  duplicateRelease: 'lead.duplicate.release',
  openFollowUp: 'lead.follow_up.open',
  showLead: 'lead.show',
  openRelease: 'lead.release.open',
  openFunnel: 'report.funnel',
  openAssign: 'lead.assign.open',
  openExtension: 'lead.extension.open',
  approveExtension: 'lead.extension.approve',
  denyExtension: 'lead.extension.deny',
} as const;

/** Slack callback ids of views and shortcuts. */
export const VIEW_IDS = {
  newLeadModal: 'lead.new.modal',
  newLeadShortcut: 'lead.new',
  followUpModal: 'lead.follow_up.modal',
  releaseModal: 'lead.release.modal',
  assignModal: 'lead.assign.modal',
  extensionModal: 'lead.extension.modal',
} as const;

export const SLASH_COMMAND = '/lead';

/** Lark: the new-lead form's submit button, and the bot menu's event keys (see manifests/lark-app.json). */
export const FORM_ACTIONS = {
  newLeadSubmit: 'lead.new.submit',
  followUpSubmit: 'lead.follow_up.submit',
  releaseSubmit: 'lead.release.submit',
  assignSubmit: 'lead.assign.submit',
  extensionSubmit: 'lead.extension.submit',
} as const;
export const BOT_MENU = { myLeads: 'my_leads', newLead: 'new_lead', home: 'home', help: 'help' } as const;

/** A lead id carried in a button value; a forged or out-of-range one fails to parse. */
export const leadIdValue = z.string().transform((text, ctx) => {
  const id = parseLeadId(text);
  if (id === null) ctx.addIssue({ code: 'custom', message: 'not a lead id' });
  return id ?? z.NEVER;
});
