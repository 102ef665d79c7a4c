import type { types } from '@slack/bolt';
import { VIEW_IDS } from '../../shared/action-ids.js';
import type { FollowUpFormView } from '../../shared/presenters/follow-up-form.presenter.js';
import { inputBlock } from './new-lead-modal.blocks.js';
import { plainText as plain } from './slack-text.js';

/** The "Log follow-up" modal; private_metadata carries the lead. Field errors come back in the ack. */
export function buildFollowUpModal(view: FollowUpFormView): types.ModalView {
  return {
    type: 'modal',
    callback_id: VIEW_IDS.followUpModal,
    title: plain(view.title, 24),
    submit: plain(view.submit, 24),
    close: plain(view.close, 24),
    private_metadata: JSON.stringify({ lead: view.leadId }),
    blocks: [{ type: 'header', text: plain(view.about, 150) }, ...view.fields.map(inputBlock)],
  };
}
